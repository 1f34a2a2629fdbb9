package ch.cern.alice.lakehouse.rehearsal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's processes as {@code ps} sees them, found by their command line (read whole from /proc: a Spark JVM's
 * classpath is longer than what ProcessHandle.Info may keep), not by any pid a service recorded: the rehearsal
 * checks behaviour, whichever way etl-service keeps its Spark driver (a JVM per run or one long-lived application).
 */
final class ProcessTable {

    static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";
    static final String EXECUTOR = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private ProcessTable() {
    }

    /** A live process and its arguments. */
    record Proc(ProcessHandle handle, List<String> args) {

        long pid() {
            return handle.pid();
        }

        /** The value after {@code flag} ({@code --app-id <id>}), if any. */
        Optional<String> arg(String flag) {
            int i = args.indexOf(flag);
            return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
        }

        boolean descendsFrom(long ancestor) {
            for (Optional<ProcessHandle> p = handle.parent(); p.isPresent(); p = p.get().parent()) {
                if (p.get().pid() == ancestor) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            String parent = handle.parent().map(p -> String.valueOf(p.pid())).orElse("gone");
            String main = args.stream().filter(a -> a.startsWith("org.apache.spark.")).findFirst().orElse(
                    args.isEmpty() ? "?" : args.get(0));
            return "pid " + pid() + " (parent " + parent + ", " + main + arg("--name").map(n -> " --name " + n).orElse("")
                    + arg("--app-id").map(n -> " --app-id " + n).orElse("") + ")";
        }
    }

    /** Spark drivers (SparkSubmit JVMs) of this rehearsal run: their classpath or job jar lies under its directory. */
    static List<Proc> sparkDrivers(Path runDir) {
        return find(SPARK_SUBMIT, runDir.toString());
    }

    /** Executor JVMs of one Spark application. */
    static List<Proc> executorsOf(String appId) {
        return find(EXECUTOR, null).stream().filter(p -> p.arg("--app-id").filter(appId::equals).isPresent()).toList();
    }

    /** Live processes with {@code mainClass} as an argument and (if given) an argument containing {@code part}. */
    static List<Proc> find(String mainClass, String part) {
        List<Proc> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            List<String> args = args(h.pid());
            if (args.contains(mainClass) && (part == null || args.stream().anyMatch(a -> a.contains(part)))
                    && h.isAlive()) {
                out.add(new Proc(h, args));
            }
        });
        return out;
    }

    /** The process's arguments from /proc/PID/cmdline; empty when it is gone or not readable. */
    static List<String> args(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return args;
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
