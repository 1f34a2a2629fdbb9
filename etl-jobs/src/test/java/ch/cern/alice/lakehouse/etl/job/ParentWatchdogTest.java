package ch.cern.alice.lakehouse.etl.job;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A job whose etl-service is killed with SIGKILL stops by itself: it can never become a second writer. */
class ParentWatchdogTest {

    @Test
    void theJobHaltsWhenItsParentIsKilled() throws Exception {
        Process parent = javaProcess(Probe.class, "parent", "true").start();
        ProcessHandle child = childOf(parent);
        try {
            Thread.sleep(500);
            assertThat(child.isAlive()).as("the job runs while its parent lives").isTrue();

            parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("job %d gone", child.pid()).isFalse();
        } finally {
            parent.destroyForcibly();
            child.destroyForcibly();
        }
    }

    @Test
    void aJobNotAskedToWatchOutlivesItsParent() throws Exception {
        Process parent = javaProcess(Probe.class, "parent", "false").start();
        ProcessHandle child = childOf(parent);
        try {
            parent.destroyForcibly();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(2_000);
            assertThat(child.isAlive()).as("the watchdog only acts when etl-service asks for it").isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static ProcessHandle childOf(Process parent) throws Exception {
        long pid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8)).readLine().strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    static ProcessBuilder javaProcess(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    /** "parent": starts a "child" the way etl-service starts a job and prints its PID; "child": a watched job. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("parent")) {
                ProcessBuilder pb = javaProcess(Probe.class, "child");
                pb.environment().put(ParentWatchdog.ENABLED_ENV, args[1]);
                Process child = pb.start();
                System.out.println(child.pid());
                System.out.flush();
                Thread.sleep(120_000);
            } else {
                ParentWatchdog.startIfRequested(System.getenv(), System.in);
                Thread.sleep(120_000);
                System.exit(1);
            }
        }
    }
}
