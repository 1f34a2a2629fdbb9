package ch.cern.alice.lakehouse.etl.job;

import ch.cern.alice.lakehouse.etl.maintenance.MaintenanceJobs;
import ch.cern.alice.lakehouse.etl.maintenance.MaintenanceRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kinds of run, kind -> handler: the warm application's registry, also used by a one-shot job
 * ({@link EtlJobMain} {@code --kind=...}). A new kind is one line in {@link #defaults()}.
 */
public final class RunHandlers {

    public static final String MIGRATE = "migrate";

    private final Map<String, RunHandler> handlers;

    private RunHandlers(Map<String, RunHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    public static RunHandlers defaults() {
        Map<String, RunHandler> h = new LinkedHashMap<>();
        h.put(MIGRATE, (spark, request, config, progress) -> new EtlJob(spark, progress).run(config).toMap());
        // issue #14 small files: Delta OPTIMIZE / VACUUM of the dataset's table (etl-jobs maintenance package)
        for (String kind : List.of(MaintenanceRequest.OPTIMIZE, MaintenanceRequest.VACUUM)) {
            h.put(kind, (spark, request, config, progress) -> MaintenanceJobs.handle(spark, request.kind(),
                    request.runId(), request.dataset(), request.params(), config.tablePath(request.dataset())));
        }
        return new RunHandlers(h);
    }

    public static RunHandlers of(Map<String, RunHandler> handlers) {
        return new RunHandlers(handlers);
    }

    /** @throws IllegalArgumentException for a kind without handler */
    public RunHandler get(String kind) {
        RunHandler handler = handlers.get(kind == null ? MIGRATE : kind);
        if (handler == null) {
            throw new IllegalArgumentException("unknown run kind '" + kind + "' (known: " + kinds() + ")");
        }
        return handler;
    }

    public Set<String> kinds() {
        return handlers.keySet();
    }
}
