package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.domain.ConflictException;
import ch.cern.alice.lakehouse.versioning.retention.RetentionService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Versions pinned by tags and branch heads, and whether a VACUUM retention would break them. */
@RestController
@RequestMapping("/api/v1/versions/retention")
public class RetentionController {

    public record Pins(String rule, List<RetentionService.TablePins> tables) {
    }

    public record CheckRequest(String table, Double retainHours) {
    }

    private final RetentionService retention;

    public RetentionController(RetentionService retention) {
        this.retention = retention;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public Pins pinned(@RequestParam(required = false) String table) {
        return new Pins(RetentionService.RULE, retention.pinned(table == null || table.isBlank() ? null : table));
    }

    /**
     * Per table: the oldest pinned version and from when on removed files must be kept, i.e. the smallest VACUUM
     * retention that keeps every version a tag or branch head pins readable (etl-service's VACUUM runs ask this).
     */
    @GetMapping("/horizon")
    @PreAuthorize("hasRole('VIEWER')")
    public List<RetentionService.Horizon> horizon(@RequestParam(required = false) String table) {
        return retention.horizons(table == null || table.isBlank() ? null : table);
    }

    /** 200 when VACUUM with this retention keeps every pinned version, else 409 listing the versions it breaks. */
    @PostMapping("/check")
    @PreAuthorize("hasRole('VIEWER')")
    public RetentionService.Check check(@RequestBody CheckRequest request) {
        var check = retention.check(request.table(), request.retainHours());
        if (!check.safe()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("table", check.table());
            details.put("retainHours", check.retainHours());
            details.put("currentVersion", check.currentVersion());
            details.put("minimumRetainHours", check.minimumRetainHours());
            details.put("breaking", check.breaking());
            details.put("rule", RetentionService.RULE);
            throw new ConflictException("VACUUM of '" + check.table() + "' with RETAIN " + check.retainHours()
                    + " HOURS would break pinned versions " + check.breaking().stream()
                    .map(RetentionService.AtRisk::version).toList() + "; retain at least "
                    + check.minimumRetainHours() + " hours", details);
        }
        return check;
    }
}
