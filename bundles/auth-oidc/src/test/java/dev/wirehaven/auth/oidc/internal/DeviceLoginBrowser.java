package dev.wirehaven.auth.oidc.internal;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The person's side of a device login: Debian's Chromium, headless, driven by Selenium through
 * Debian's chromedriver (nothing is downloaded), on Keycloak's pages: the user code, the login form,
 * the consent question.
 *
 * <p>Where chromedriver is not installed the browser tests are skipped, unless
 * {@code WIREHAVEN_REQUIRE_BROWSER=1} says that it must be (CI), which makes them fail instead.
 */
final class DeviceLoginBrowser implements AutoCloseable {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");

    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final WebDriverWait wait;

    private DeviceLoginBrowser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, PAGE_TIMEOUT);
    }

    /** Skips the calling test where no browser is installed, or fails it where one must be. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("No Chromium at " + CHROMIUM + " with its driver " + DRIVER
                    + ", but WIREHAVEN_REQUIRE_BROWSER=1 says the browser tests must run: install chromium"
                    + " chromium-driver (Debian: apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(
                installed,
                () -> "No Chromium at " + CHROMIUM + " with its driver " + DRIVER
                        + ": the device login in a browser is not tested. Install chromium chromium-driver to run it.");
    }

    /** A fresh browser: no cookies, so every login asks for the password. */
    static DeviceLoginBrowser open() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        // root needs --no-sandbox; /dev/shm is small in containers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1024,768");
        return new DeviceLoginBrowser(new ChromeDriver(service, options));
    }

    /**
     * Opens {@code verificationUri}, enters {@code userCode}, logs in and answers the consent question.
     *
     * @param grant true to grant the access (Keycloak's "Yes"), false to deny it ("No")
     * @return the URL of the page Keycloak ends on ({@code …/device/status}, with {@code ?error=…} when denied)
     */
    String approve(URI verificationUri, String userCode, String user, String password, boolean grant) {
        driver.get(verificationUri.toString());
        WebElement code = wait.until(ExpectedConditions.elementToBeClickable(By.name("device_user_code")));
        code.clear();
        code.sendKeys(userCode);
        code.submit();
        return logInAndAnswer(user, password, grant);
    }

    /** Opens the complete verification URI (with the code in it), logs in and answers the consent question. */
    String approve(URI verificationUriComplete, String user, String password, boolean grant) {
        driver.get(verificationUriComplete.toString());
        return logInAndAnswer(user, password, grant);
    }

    private String logInAndAnswer(String user, String password, boolean grant) {
        WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.name("username")));
        name.sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        // the consent page's buttons carry the answer in their names
        wait.until(ExpectedConditions.elementToBeClickable(By.name(grant ? "accept" : "cancel")))
                .click();
        wait.until(ExpectedConditions.urlContains("/device/status"));
        return driver.getCurrentUrl();
    }

    /** What the page says, for a failure message. */
    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
