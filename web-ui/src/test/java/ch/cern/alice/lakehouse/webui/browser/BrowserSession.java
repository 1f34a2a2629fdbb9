package ch.cern.alice.lakehouse.webui.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * Headless Debian Chromium driven through the system chromedriver (never a downloaded browser), with a fresh
 * profile under target/ and the browser console collected for assertions. Downloads land in {@link #downloads()}.
 * Published in web-ui's test-jar for the browser tests of other modules.
 */
public final class BrowserSession implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;
    private final String baseUrl;

    /** Whether Debian's chromium and chromium-driver are installed (tests skip without them). */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public BrowserSession(String baseUrl) throws IOException {
        this.baseUrl = baseUrl;
        this.profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tmp")), "chromium-profile-");
        this.downloads = Files.createDirectories(profile.resolve("downloads"));
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1440,960", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        this.driver = new ChromeDriver(service, options);
    }

    public Path downloads() {
        return downloads;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebDriverWait waiting() {
        return waiting(Duration.ofSeconds(30));
    }

    public WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    public WebElement waitFor(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public WebElement waitForText(String css, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return driver.findElement(By.cssSelector(css));
    }

    public void open(String hash) {
        driver.get(baseUrl + "/" + hash);
    }

    public void signOut() {
        driver.get(baseUrl + "/");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear();");
        driver.get(baseUrl + "/");
        waitFor("#login-form");
    }

    public void signIn(String user, String password) {
        signOut();
        driver.findElement(By.id("login-user")).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        waitFor("#user-name");
    }

    public String textContent(String css) {
        return driver.findElement(By.cssSelector(css)).getDomProperty("textContent");
    }

    /** Console errors since the last call, minus the expected ones (e.g. calls that fail on purpose). */
    public List<String> unexpectedConsoleErrors(Pattern expected) {
        List<String> severe = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !expected.matcher(entry.getMessage()).find()) {
                severe.add(entry.getMessage());
            }
        }
        return severe;
    }

    /** The whole page, not only the window: the window grows to the page's height (at most 2400 px) for the shot. */
    public void screenshot(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Dimension window = driver.manage().window().getSize();
        long hiddenHeight = ((Number) driver.executeScript(
                "return document.documentElement.scrollHeight - window.innerHeight")).longValue();
        Path shot;
        try {
            if (hiddenHeight > 0) {
                int height = (int) Math.min(2400, window.getHeight() + hiddenHeight);
                driver.manage().window().setSize(new Dimension(window.getWidth(), height));
                // let charts and other resize observers redraw before the shot
                driver.executeAsyncScript("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))");
            }
            shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        } finally {
            driver.manage().window().setSize(window);
        }
        Path target = dir.resolve(name + ".png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(shot);
        if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteRecursively(profile);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
