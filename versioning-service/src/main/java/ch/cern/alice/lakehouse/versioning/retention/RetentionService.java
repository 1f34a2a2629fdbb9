package ch.cern.alice.lakehouse.versioning.retention;

import ch.cern.alice.lakehouse.versioning.delta.DeltaCommit;
import ch.cern.alice.lakehouse.versioning.delta.DeltaLogReader;
import ch.cern.alice.lakehouse.versioning.domain.BadRequestException;
import ch.cern.alice.lakehouse.versioning.domain.Names;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Protects pinned versions from VACUUM. A Delta version V is pinned when a tag or a branch head references it.
 * VACUUM ... RETAIN h HOURS deletes data files that were removed from the table more than h hours ago. The files of
 * V are removed at the earliest by version V+1, so V stays readable as long as h exceeds the age of version V+1
 * (the moment V stopped being current); the current version is always safe. A pinned version whose successor's
 * commit file is gone cannot be proven safe and is reported as breaking.
 */
@Service
public class RetentionService {

    public static final String RULE = "VACUUM RETAIN h HOURS keeps every pinned version V (referenced by a tag or a "
            + "branch head) readable only if h exceeds the age of version V+1, the commit that superseded V; the "
            + "table's current version is always kept. Use retainHours >= minimumRetainHours.";

    public record PinnedBy(String kind, String name, String commitId) {
    }

    public record PinnedVersion(long version, List<PinnedBy> pinnedBy) {
    }

    public record TablePins(String table, List<PinnedVersion> versions) {
    }

    /** @param supersededAt when version+1 was committed, null when its commit file is gone */
    public record AtRisk(long version, List<PinnedBy> pinnedBy, Instant supersededAt, Double ageHours,
                         String reason) {
    }

    public record Check(String table, double retainHours, Long currentVersion, List<PinnedVersion> pinned,
                        double minimumRetainHours, List<AtRisk> breaking) {

        public boolean safe() {
            return breaking.isEmpty();
        }
    }

    /**
     * What VACUUM of one table must keep (issue #14).
     *
     * @param oldestPinnedVersion the oldest version a tag or branch head pins, null when none is pinned
     * @param oldestPinnedAt      when that version was committed (null when its commit file is gone)
     * @param keepRemovedSince    files removed from the table at or after this instant may belong to a pinned version:
     *                            when the oldest pinned version that is not the current one was superseded; null when
     *                            only the current version (or nothing) is pinned
     * @param minimumRetainHours  the age of {@code keepRemovedSince} in hours (0 when null): a VACUUM RETAIN above it
     *                            keeps every pinned version readable
     * @param unknownAge          pinned versions whose successor's commit file is gone: no retention can be proven
     *                            safe for them, so VACUUM of this table should not run
     */
    public record Horizon(String table, Long currentVersion, Long oldestPinnedVersion, Instant oldestPinnedAt,
                          Instant keepRemovedSince, double minimumRetainHours, List<PinnedVersion> pinned,
                          List<Long> unknownAge) {
    }

    private final PinRepository pins;
    private final DeltaLogReader deltaLog;
    private final Clock clock;

    public RetentionService(PinRepository pins, DeltaLogReader deltaLog, Clock clock) {
        this.pins = pins;
        this.deltaLog = deltaLog;
        this.clock = clock;
    }

    /** @param table a table, or null for every pinned table */
    public List<TablePins> pinned(String table) {
        if (table != null) {
            Names.requireTableName(table);
        }
        Map<String, TreeMap<Long, List<PinnedBy>>> byTable = new TreeMap<>();
        for (PinRepository.Pin pin : pins.pins(table)) {
            byTable.computeIfAbsent(pin.table(), t -> new TreeMap<>())
                    .computeIfAbsent(pin.version(), v -> new ArrayList<>())
                    .add(new PinnedBy(pin.kind(), pin.name(), pin.commitId()));
        }
        List<TablePins> result = new ArrayList<>();
        byTable.forEach((name, versions) -> result.add(new TablePins(name, versions.entrySet().stream()
                .map(e -> new PinnedVersion(e.getKey(), List.copyOf(e.getValue()))).toList())));
        if (result.isEmpty() && table != null) {
            result.add(new TablePins(table, List.of()));
        }
        return result;
    }

    /** @param table a table, or null for every pinned table */
    public List<Horizon> horizons(String table) {
        Instant now = clock.instant();
        List<Horizon> result = new ArrayList<>();
        for (TablePins tablePins : pinned(table)) {
            String name = tablePins.table();
            OptionalLong current = deltaLog.latestVersion(name);
            List<PinnedVersion> versions = tablePins.versions();
            Long oldest = versions.isEmpty() ? null : versions.get(0).version();
            Instant oldestAt = oldest == null ? null
                    : deltaLog.commit(name, oldest).map(DeltaCommit::timestamp).orElse(null);
            Instant keepSince = null;
            List<Long> unknown = new ArrayList<>();
            for (PinnedVersion version : versions) {
                if (current.isEmpty() || version.version() >= current.getAsLong()) {
                    continue;
                }
                Optional<DeltaCommit> successor = deltaLog.commit(name, version.version() + 1);
                if (successor.isEmpty()) {
                    unknown.add(version.version());
                } else if (keepSince == null || successor.get().timestamp().isBefore(keepSince)) {
                    keepSince = successor.get().timestamp();
                }
            }
            double minimum = keepSince == null ? 0
                    : Math.ceil(Math.max(0, Duration.between(keepSince, now).toMillis()) / 3_600.0) / 1000.0;
            result.add(new Horizon(name, current.isPresent() ? current.getAsLong() : null, oldest, oldestAt,
                    keepSince, minimum, versions, List.copyOf(unknown)));
        }
        return result;
    }

    public Check check(String table, Double retainHours) {
        if (table == null || table.isBlank()) {
            throw new BadRequestException("table is required");
        }
        if (retainHours == null || retainHours < 0 || retainHours.isNaN()) {
            throw new BadRequestException("retainHours must be a number >= 0");
        }
        List<PinnedVersion> pinned = pinned(table).get(0).versions();
        OptionalLong current = deltaLog.latestVersion(table);
        Instant now = clock.instant();
        List<AtRisk> breaking = new ArrayList<>();
        double minimum = 0;
        for (PinnedVersion version : pinned) {
            if (current.isEmpty() || version.version() >= current.getAsLong()) {
                continue;
            }
            Optional<DeltaCommit> successor = deltaLog.commit(table, version.version() + 1);
            if (successor.isEmpty()) {
                breaking.add(new AtRisk(version.version(), version.pinnedBy(), null, null, "commit file of version "
                        + (version.version() + 1) + " is gone (log cleaned up): its files' age is unknown"));
                continue;
            }
            Instant supersededAt = successor.get().timestamp();
            double ageHours = Duration.between(supersededAt, now).toMillis() / 3_600_000.0;
            minimum = Math.max(minimum, ageHours);
            if (ageHours >= retainHours) {
                breaking.add(new AtRisk(version.version(), version.pinnedBy(), supersededAt,
                        Math.round(ageHours * 1000) / 1000.0, "superseded " + Math.round(ageHours * 10) / 10.0
                        + " h ago: files it needs may be removed by VACUUM RETAIN " + retainHours + " HOURS"));
            }
        }
        return new Check(table, retainHours, current.isPresent() ? current.getAsLong() : null, pinned,
                Math.ceil(minimum * 1000) / 1000.0, breaking);
    }
}
