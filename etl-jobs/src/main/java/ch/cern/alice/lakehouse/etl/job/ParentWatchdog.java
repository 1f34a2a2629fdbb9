package ch.cern.alice.lakehouse.etl.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Ends the job the moment the etl-service that started it is gone, even after a {@code kill -9}: the service keeps
 * the job's standard input open and never writes to it, so end-of-file on it means the parent died. A job left
 * running would otherwise write Delta commits next to the run the restarted service starts for the same range.
 * <p>
 * {@link Runtime#halt} skips shutdown hooks on purpose: a half-done MERGE leaves only data files no Delta commit
 * references (the commit is one atomic log entry), and the range is redone by the next run.
 */
final class ParentWatchdog {

    static final String ENABLED_ENV = "LAKEHOUSE_ETL_WATCH_PARENT";
    static final int EXIT_PARENT_GONE = 3;

    private ParentWatchdog() {
    }

    /** Starts watching when etl-service asked for it ({@value #ENABLED_ENV}=true); a no-op otherwise. */
    static void startIfRequested(Map<String, String> env, InputStream stdin) {
        if (!"true".equals(env.get(ENABLED_ENV))) {
            return;
        }
        Thread watcher = new Thread(() -> {
            awaitEndOfInput(stdin);
            System.err.println("ETL job: etl-service (parent) is gone; stopping at once");
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    static void awaitEndOfInput(InputStream stdin) {
        byte[] buffer = new byte[256];
        try {
            while (stdin.read(buffer) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file
        }
    }
}
