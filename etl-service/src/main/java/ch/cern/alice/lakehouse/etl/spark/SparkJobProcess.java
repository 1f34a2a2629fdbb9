package ch.cern.alice.lakehouse.etl.spark;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running Spark job. Reads the job's stdout protocol ({@code ETL_PROGRESS}, {@code ETL_RESULT},
 * {@code ETL_ERROR} lines followed by JSON) until the process ends.
 */
public class SparkJobProcess {

    public interface ProgressListener {
        void onProgress(String phase, int percent);
    }

    /** How the job ended: exit code, its ETL_RESULT (null if none), its error (job's or the stderr tail). */
    public record Completion(int exitCode, JsonNode result, String error) {
        public boolean succeeded() {
            return exitCode == 0 && result != null;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path log;

    SparkJobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public long pid() {
        return process.pid();
    }

    public Completion await(ProgressListener listener) throws IOException, InterruptedException {
        JsonNode result = null;
        String error = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                String tag = line.substring(0, space);
                switch (tag) {
                    case "ETL_PROGRESS" -> {
                        JsonNode p = parse(line.substring(space + 1));
                        if (p != null) {
                            listener.onProgress(p.path("phase").asString(), p.path("percent").asInt());
                        }
                    }
                    case "ETL_RESULT" -> result = parse(line.substring(space + 1));
                    case "ETL_ERROR" -> {
                        JsonNode e = parse(line.substring(space + 1));
                        error = e == null ? line : e.path("error").asString();
                    }
                    default -> {
                        // anything else on stdout is not part of the protocol
                    }
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 && error == null) {
            error = "Spark job exited with code " + exit + ": " + stderrTail();
        }
        return new Completion(exit, result, error);
    }

    /** Stops the job and every process it started: SIGTERM, then SIGKILL after a grace period. */
    public void destroyTree() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
