package ch.cern.alice.lakehouse.ingest.api;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterFilter;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterService;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterStatus;
import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterStore;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Dead letters for admins: records the ingest service could not stage, kept in Postgres until an admin replays or
 * discards them (docs/operator-guide.md, "Dead letters").
 */
@RestController
@RequestMapping("/api/v1/ingest/dead-letters")
@PreAuthorize("hasRole('ADMIN')")
public class DeadLetterController {

    static final int MAX_PAGE_SIZE = 500;

    /** @param payload corrected payload (a JSON object); absent to replay the original payload */
    public record ReplayRequest(Map<String, Object> payload) {
    }

    /** @param note why it is discarded (optional, kept for audit) */
    public record DiscardRequest(String note) {
    }

    private final DeadLetterStore store;
    private final DeadLetterService service;

    public DeadLetterController(DeadLetterStore store, DeadLetterService service) {
        this.store = store;
        this.service = service;
    }

    /**
     * Newest first. {@code status} may be repeated or comma-separated (PENDING, REPLAYED, DISCARDED, or ALL);
     * without it discarded letters are left out. {@code site} matches the envelope's site (any case),
     * {@code reason} any part of the reason (any case).
     */
    @GetMapping
    public DeadLetterView.Page list(@RequestParam(required = false) String dataset,
                                    @RequestParam(required = false) String site,
                                    @RequestParam(required = false) String reason,
                                    @RequestParam(required = false) List<String> status,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
        if (page > Integer.MAX_VALUE / size) {
            throw new IllegalArgumentException("page " + page + " is out of range");
        }
        DeadLetterFilter filter = new DeadLetterFilter(dataset, site, reason, statuses(status));
        return new DeadLetterView.Page(page, size, store.count(filter),
                store.page(filter, page, size).stream().map(DeadLetterView.Summary::of).toList());
    }

    @GetMapping("/{id}")
    public DeadLetterView.Detail get(@PathVariable long id) {
        return DeadLetterView.Detail.of(service.get(id));
    }

    /**
     * Publishes the letter's record again to its dataset's topic, with the original site and receive time: with
     * {@code {"payload":{...}}} the corrected payload, else the original one. Answers once Kafka acknowledged it;
     * 400 (with {@code errors} per field) when the payload would be rejected again, 409 for a discarded letter.
     */
    @PostMapping("/{id}/replay")
    public DeadLetterView.Detail replay(@PathVariable long id, @RequestBody(required = false) ReplayRequest request,
                                        Authentication user) {
        return DeadLetterView.Detail.of(service.replay(id, request == null ? null : request.payload(),
                user.getName()));
    }

    /** Marks the letter DISCARDED: kept for audit, left out of lists by default, purged after the retention. */
    @PostMapping("/{id}/discard")
    public DeadLetterView.Detail discard(@PathVariable long id,
                                         @RequestBody(required = false) DiscardRequest request,
                                         Authentication user) {
        return DeadLetterView.Detail.of(service.discard(id, request == null ? null : request.note(),
                user.getName()));
    }

    private static Set<DeadLetterStatus> statuses(List<String> values) {
        Set<DeadLetterStatus> statuses = EnumSet.noneOf(DeadLetterStatus.class);
        if (values == null) {
            return statuses;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                if (part.strip().toUpperCase(Locale.ROOT).equals("ALL")) {
                    statuses.addAll(EnumSet.allOf(DeadLetterStatus.class));
                } else {
                    statuses.add(DeadLetterStatus.parse(part));
                }
            }
        }
        return statuses;
    }
}
