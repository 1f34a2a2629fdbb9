package ch.cern.alice.lakehouse.bench.ingest;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time spent per stage of the ingest path while the benchmark runs, from the threads of this JVM (the embedded
 * stack runs in it) and the PostgreSQL server processes. CPU time, unlike wall time, is hardly disturbed by other
 * load on the machine, so it tells what one record costs in each stage and hence the ceiling on this machine:
 * cores / (CPU seconds per record, all stages together).
 */
final class StageCpu {

    /** Thread name patterns -> stage, first match wins; everything else counts as "other JVM threads". */
    private static final List<Map.Entry<String, Pattern>> STAGES = List.of(
            Map.entry("bench client (HTTP client)", Pattern.compile("bench-client-.*|HttpClient-.*")),
            Map.entry("collector HTTP (parse, validate, encode)", Pattern.compile("http-nio-.*")),
            Map.entry("collector Kafka producer I/O", Pattern.compile("kafka-producer-network-thread \\| collector.*")),
            Map.entry("ingest consumers (decode, COPY)", Pattern.compile("ingest-\\d+-C-\\d+")),
            Map.entry("Kafka broker", Pattern.compile("(?i).*(kafka|broker|controller|raft|quorum|log-?cleaner|"
                    + "group-coordinator|share-coordinator|ExpirationReaper|data-plane|executor-|"
                    + "transaction|kraft).*")));
    private static final String OTHER_THREADS = "other JVM threads";
    private static final String JVM_INTERNAL = "JVM internal (GC, JIT)";
    private static final String POSTGRES = "PostgreSQL server processes";
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> nanosByStage;
    private final long jitMillis;
    private final long gcMillis;

    private StageCpu(Map<String, Long> nanosByStage) {
        this.nanosByStage = nanosByStage;
        this.jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        this.gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** @param postmasterPid the PostgreSQL server's process id, or 0 if it is not on this machine */
    static StageCpu snapshot(long postmasterPid) {
        Map<String, Long> byStage = new LinkedHashMap<>();
        STAGES.forEach(stage -> byStage.put(stage.getKey(), 0L));
        byStage.put(OTHER_THREADS, 0L);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadTotal = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu <= 0) {
                continue;
            }
            threadTotal += cpu;
            byStage.merge(stageOf(info.getThreadName()), cpu, Long::sum);
        }
        long processCpu = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
        byStage.put(JVM_INTERNAL, Math.max(0, processCpu - threadTotal));
        byStage.put(POSTGRES, postmasterPid > 0 ? postgresCpuNanos(postmasterPid) : 0L);
        return new StageCpu(byStage);
    }

    private static String stageOf(String threadName) {
        for (Map.Entry<String, Pattern> stage : STAGES) {
            if (stage.getValue().matcher(threadName).matches()) {
                return stage.getKey();
            }
        }
        return OTHER_THREADS;
    }

    /** The server and its current children, plus the children that already exited (cutime/cstime). */
    private static long postgresCpuNanos(long postmasterPid) {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long[] stat = stat(process);
                if (stat == null) {
                    continue;
                }
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid == postmasterPid) {
                    ticks += stat[1] + stat[2] + stat[3] + stat[4];
                } else if (stat[0] == postmasterPid) {
                    ticks += stat[1] + stat[2];
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return (long) (ticks / TICKS_PER_SECOND * 1e9);
    }

    /** {ppid, utime, stime, cutime, cstime} from /proc/PID/stat, or null if the process is gone. */
    private static long[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3 of proc(5)): ppid is field 4, utime..cstime fields 14-17
            return new long[]{Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Prints CPU seconds per stage between {@code before} and now, per 100k records and as a share. */
    void reportSince(StageCpu before, long records, double wallSeconds) {
        Map<String, Long> spent = new LinkedHashMap<>();
        nanosByStage.forEach((stage, nanos) -> spent.put(stage, nanos - before.nanosByStage.getOrDefault(stage, 0L)));
        long total = spent.values().stream().mapToLong(Long::longValue).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println();
        System.out.printf("CPU per stage (%,d records, %.1f s wall, %d cores)%n", records, wallSeconds, cores);
        System.out.printf("  %-42s %10s %16s %7s%n", "stage", "CPU s", "CPU ms/1k rec", "share");
        spent.forEach((stage, nanos) -> System.out.printf("  %-42s %10.2f %16.2f %6.1f%%%n", stage, nanos / 1e9,
                nanos / 1e6 / (records / 1000.0), total == 0 ? 0 : 100.0 * nanos / total));
        double perRecord = total / 1e9 / records;
        long excludingClient = total - spent.get(STAGES.get(0).getKey());
        System.out.printf("  %-42s %10.2f %16.2f%n", "total", total / 1e9, total / 1e6 / (records / 1000.0));
        System.out.printf("  (JVM internal: JIT compiling %.1f s, GC collections %.1f s of wall time)%n",
                (jitMillis - before.jitMillis) / 1e3, (gcMillis - before.gcMillis) / 1e3);
        System.out.printf("CPU-bound ceiling on %d cores: %,.0f records/s with the bench client, %,.0f without it "
                        + "(cores / CPU per record); CPU busy during the run: %.0f%% of the machine%n",
                cores, cores / perRecord, cores / (excludingClient / 1e9 / records),
                100.0 * total / 1e9 / wallSeconds / cores);
    }

    /** The PostgreSQL server's process id, from postmaster.pid in its data directory; 0 if unreadable. */
    static long postmasterPid(String dataDirectory) {
        try {
            return Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
