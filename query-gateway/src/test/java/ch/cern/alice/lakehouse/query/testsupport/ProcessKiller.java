package ch.cern.alice.lakehouse.query.testsupport;

import java.util.concurrent.TimeUnit;

/** Stops one process by its handle (PID): SIGTERM, then SIGKILL after a grace period. */
final class ProcessKiller {

    private ProcessKiller() {
    }

    static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
