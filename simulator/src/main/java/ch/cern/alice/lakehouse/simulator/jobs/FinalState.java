package ch.cern.alice.lakehouse.simulator.jobs;

import java.util.random.RandomGenerator;

/**
 * JAliEn final job states and how often jobs end in them. A job passes INSERTING, WAITING, ASSIGNED, STARTED, RUNNING,
 * SAVING, SAVED, DONE when all goes well; the error states end that path at the step where it broke.
 */
public enum FinalState {
    /** ran, saved its output, validated */
    DONE(0.855, Stage.SAVED),
    /** the payload exited with an error while running */
    ERROR_E(0.04, Stage.RUNNING),
    /** output validation failed after the run */
    ERROR_V(0.02, Stage.SAVED),
    /** the input box (input files) could not be fetched: never ran its payload */
    ERROR_IB(0.015, Stage.STARTED),
    /** saving the output failed */
    ERROR_SV(0.01, Stage.SAVING),
    /** stayed WAITING until its TTL in the queue ran out: never started */
    EXPIRED(0.02, Stage.WAITING),
    /** the job agent failed */
    FAILED(0.01, Stage.RUNNING),
    /** killed by its owner or an operator */
    KILLED(0.02, Stage.RUNNING),
    /** the job stopped reporting (lost worker node) */
    ZOMBIE(0.01, Stage.RUNNING);

    /** Lifecycle steps in order; a job reaches its final state after the last step it got to. */
    public enum Stage { INSERTING, WAITING, ASSIGNED, STARTED, RUNNING, SAVING, SAVED }

    private final double share;
    private final Stage lastStage;

    FinalState(double share, Stage lastStage) {
        this.share = share;
        this.lastStage = lastStage;
    }

    public static FinalState pick(RandomGenerator random) {
        double r = random.nextDouble();
        for (FinalState s : values()) {
            r -= s.share;
            if (r < 0) {
                return s;
            }
        }
        return DONE;
    }

    /**
     * The final state of a job whose activity and site fail {@code failureFactor} times as often as the grid's
     * average: the error states' shares are scaled by it (at most 90% errors), DONE takes the rest.
     */
    public static FinalState pick(RandomGenerator random, double failureFactor) {
        double errors = 1 - DONE.share;
        double scaled = Math.min(0.9, errors * failureFactor);
        double r = random.nextDouble();
        if (r >= scaled) {
            return DONE;
        }
        r = r / scaled * errors;
        for (FinalState s : values()) {
            if (s == DONE) {
                continue;
            }
            r -= s.share;
            if (r < 0) {
                return s;
            }
        }
        return ERROR_E;
    }

    public double share() {
        return share;
    }

    public boolean reached(Stage stage) {
        return lastStage.compareTo(stage) >= 0;
    }

    /** Whether the job ran a payload on a worker node (and so has a resource trace). */
    public boolean ran() {
        return reached(Stage.RUNNING);
    }

    public boolean isError() {
        return this != DONE;
    }
}
