package dev.wirehaven.itests;

import dev.wirehaven.itests.ConsoleClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator at the console of one running server zip: the admin credential the server printed at
 * its first start, raw requests with it ({@link #send}), and a headless Chromium signed in with it
 * ({@link #open}). Screenshots go to {@code itests/target/screenshots/<name>.png}, a build artifact.
 */
final class ConsoleSession implements AutoCloseable {

    static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CREDENTIAL = Pattern.compile("Wirehaven admin user: (\\S+)  password: (\\S+)");

    private final int port;
    private final String user;
    private final String password;
    private final String basic;
    private WebDriver browser;

    private ConsoleSession(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
        this.basic =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The console of {@code server} on {@code port}, once the server has printed its admin credential. */
    static ConsoleSession of(ServerProcess server, int port, Duration timeout) {
        server.awaitLines(CREDENTIAL, 1, timeout);
        Matcher m = CREDENTIAL.matcher(server.output());
        if (!m.find()) {
            throw new AssertionError("no admin credential in the server's output");
        }
        return new ConsoleSession(port, m.group(1), m.group(2));
    }

    /** The {@code Host} of this console. */
    String own() {
        return "127.0.0.1:" + port;
    }

    /** The {@code Authorization} header value of the admin. */
    String basic() {
        return basic;
    }

    /** One request with the admin credential, {@code Host} this console's. */
    Response send(String method, String path, String origin, String form) throws IOException {
        return ConsoleClient.send(port, method, path, own(), basic, origin, form);
    }

    /**
     * The page, in the browser signed in as the admin (the first call signs in through the URL), once a
     * Wirehaven page has rendered. Skips the test where no browser is installed (fails in CI, which
     * requires one).
     */
    WebDriver open(String path) {
        ConsoleClient.assumeBrowser();
        if (browser == null) {
            browser = ConsoleClient.browser();
            browser.get("http://" + user + ":" + password + "@" + own() + path);
            waitFor(
                    browser,
                    d -> !d.findElements(By.className("wirehaven-page")).isEmpty());
        }
        browser.get("http://" + own() + path);
        waitFor(browser, d -> !d.findElements(By.className("wirehaven-page")).isEmpty());
        return browser;
    }

    static void waitFor(WebDriver b, Function<WebDriver, Boolean> condition) {
        // a form's post replaces the page: an element found on the old one goes stale, ask again
        new WebDriverWait(b, PAGE_TIMEOUT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** A build artifact: {@code itests/target/screenshots/<name>.png}. */
    static void screenshot(WebDriver b, String name) throws IOException {
        Path dir = Path.of(System.getProperty(Distribution.WORK_PROPERTY, "target/itests-work"))
                .getParent()
                .resolve("screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        if (browser != null) {
            browser.quit();
        }
    }
}
