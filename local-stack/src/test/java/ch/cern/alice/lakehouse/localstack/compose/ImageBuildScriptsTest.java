package ch.cern.alice.lakehouse.localstack.compose;

import ch.cern.alice.lakehouse.process.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images' Maven steps (deploy/build/*.sh, what every Dockerfile's build stage runs) work from a clean checkout
 * against a local Maven repository that holds none of this project's modules, as `docker build` starts: a script
 * that resolved a module such as {@code common} from a repository instead of the reactor fails here.
 * <p>
 * The repository is seeded with hard links to the user's third-party artifacts (everything but this project's
 * group), so the test costs a build, not a download of the world; what it lacks is fetched as usual.
 */
class ImageBuildScriptsTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path USER_REPOSITORY = Path.of(System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"));
    private static final String OWN_GROUP = "ch/cern/alice";

    private static Path work;
    private static Path checkout;
    private static Path repository;

    @BeforeAll
    static void cleanCheckoutAndRepositoryWithoutOurModules() throws Exception {
        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "image-build");
        checkout = work.resolve("src");
        repository = work.resolve("m2");
        copyCheckout(checkout);
        Files.createDirectories(repository);
        seed(repository);
        assertThat(repository.resolve(OWN_GROUP)).doesNotExist();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    @Test
    void etlJobsHomeHasTheJobItsWholeClasspathAndTheJvmFlags() throws Exception {
        Path out = work.resolve("etl-jobs");
        String log = runScript(List.of("deploy/build/etl-jobs-home.sh", out.toString()));
        assertThat(out.resolve("etl-jobs-0.1.0-SNAPSHOT.jar")).as(log).isRegularFile();
        assertThat(out.resolve("spark-jvm-flags.txt")).content().contains("--add-opens");
        try (Stream<Path> jars = Files.list(out.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("common-0.1.0-SNAPSHOT"))
                    .anyMatch(n -> n.startsWith("spark-core_2.13-"))
                    .anyMatch(n -> n.startsWith("delta-spark_2.13-"))
                    .anyMatch(n -> n.startsWith("hadoop-aws-"))
                    .anyMatch(n -> n.startsWith("postgresql-"));
        }
    }

    @Test
    void serviceJarIsTheRunnableBootJar() throws Exception {
        Path out = work.resolve("collector");
        String log = runScript(List.of("deploy/build/service-jar.sh", "collector-service", out.toString()));
        assertThat(out.resolve("app.jar")).as(log).isRegularFile();
        String listing = run(List.of("jar", "tf", out.resolve("app.jar").toString()), work, 60);
        assertThat(listing).contains("BOOT-INF/lib/common-0.1.0-SNAPSHOT.jar")
                .contains("BOOT-INF/classes/ch/cern/alice/lakehouse/collector/CollectorApplication.class");
    }

    /**
     * Artifacts as hard links (Maven never writes into them), its bookkeeping files (which it rewrites in place) as
     * copies, and nothing of this project's group.
     */
    private static void seed(Path target) throws IOException {
        if (!Files.isDirectory(USER_REPOSITORY)) {
            return;
        }
        try (Stream<Path> files = Files.walk(USER_REPOSITORY)) {
            for (Path source : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path relative = USER_REPOSITORY.relativize(source);
                if (relative.startsWith(OWN_GROUP)) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                Files.createDirectories(copy.getParent());
                String name = source.getFileName().toString();
                if (name.endsWith(".jar") || name.endsWith(".pom") || name.endsWith(".gz") || name.endsWith(".zip")) {
                    Files.createLink(copy, source);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
    }

    private static String runScript(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().put("LAKEHOUSE_MAVEN_ARGS", "-Dmaven.repo.local=" + repository);
        return run(pb, 900);
    }

    private static String run(List<String> command, Path dir, int timeoutSeconds) throws Exception {
        return run(new ProcessBuilder(command).directory(dir.toFile()), timeoutSeconds);
    }

    private static String run(ProcessBuilder pb, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within %d s: %s", pb.command(), timeoutSeconds, output).isTrue();
        assertThat(p.exitValue()).as("%s exit code, output:%n%s", pb.command(), output).isZero();
        return output;
    }

    /** The files git knows (tracked and new, not ignored): what a clone plus the change holds, without build output. */
    private static void copyCheckout(Path target) throws Exception {
        String files = run(List.of("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), ROOT, 60);
        for (String name : files.split("\0")) {
            Path source = ROOT.resolve(name);
            if (name.isEmpty() || !Files.isRegularFile(source)) {
                continue;
            }
            Path copy = target.resolve(name);
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
        assertThat(target.resolve("mvnw")).isExecutable();
    }
}
