package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * The console's Users page on the real server distribution, in headless Chromium signed in with the
 * admin credential: a user added with {@code bin/wirehaven user add} is listed; Disable on the page
 * makes the control API refuse that user's login with the right password (the same answer as a wrong
 * one), Enable lets it log in again; Enroll shows the new authenticator's URI once, a code computed from it
 * as an app would confirms it, and Remove takes it away. Screenshots go to
 * {@code itests/target/screenshots/users*.png}.
 *
 * <pre>
 *   ns whu&lt;pid&gt;:  bin/wirehaven (WireGuard interface whu&lt;pid&gt;w), chromedriver + Chromium,
 *                  Chromium ── http://127.0.0.1:18080/system/console/wirehaven-users
 *                  curl -k ── https://127.0.0.1:8443/api/v1/sessions (the logins)
 *   test JVM (root namespace) ── WebDriver ── 198.18.77.1 ═══ veth ═══ 198.18.77.2:9515 chromedriver
 * </pre>
 *
 * A login needs the session layer, and the session layer needs a WireGuard interface, which the server
 * creates as root: so the server runs in a namespace of its own. The console answers this host's own
 * addresses only, so the browser runs in that namespace too, and the test drives it through a veth pair
 * whose root end has only a /30 of the benchmarking range (198.18.0.0/15); only chromedriver listens
 * there, and only to 198.18.77.1. Deleting the namespace at the end deletes the pair. Needs root,
 * {@code ip}, {@code curl}, {@code wg} and Chromium; skipped without them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleUsersPageIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern CREDENTIAL = Pattern.compile("Wirehaven admin user: (\\S+)  password: (\\S+)");

    private static final String ROOT_SIDE = "198.18.77.1";
    private static final String SERVER_SIDE = "198.18.77.2";
    private static final int HTTP_PORT = 18080;
    private static final int DRIVER_PORT = 9515;
    private static final int HTTPS_PORT = 8443;
    private static final String USERS = "/system/console/wirehaven-users";

    private static final String USER = "uma";
    private static final String PASSWORD = "uma-console-password";

    private final String id = Long.toString(ProcessHandle.current().pid() % 1_000_000);
    private final String ns = "whu" + id;
    private final String vethRoot = "whu" + id + "r";
    private final String vethServer = "whu" + id + "s";
    private final String wgInterface = "whu" + id + "w";

    private Path home;
    private Path output;
    private Process server;
    private Process driver;
    private boolean namespaceMade;
    private String admin;
    private String adminPassword;
    private WebDriver browser;

    @BeforeAll
    void startTheServerInItsNamespace() throws Exception {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "network namespaces need root: not tested");
        for (String tool : List.of("/usr/sbin/ip", "/usr/bin/curl", "/usr/bin/wg")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed: not tested");
        }
        ConsoleClient.assumeBrowser();

        Path work = Distribution.freshWork("ConsoleUsersPageIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        output = work.resolve("server.out");

        run("ip", "netns", "add", ns);
        namespaceMade = true;
        inNamespace("ip", "link", "set", "lo", "up");
        run("ip", "link", "add", vethRoot, "type", "veth", "peer", "name", vethServer, "netns", ns);
        run("ip", "addr", "add", ROOT_SIDE + "/30", "dev", vethRoot);
        run("ip", "link", "set", vethRoot, "up");
        inNamespace("ip", "addr", "add", SERVER_SIDE + "/30", "dev", vethServer);
        inNamespace("ip", "link", "set", vethServer, "up");

        writeEtc(
                "dev.wirehaven.wireguard.interface-" + wgInterface + ".cfg",
                "name = " + wgInterface + "\nlistenPort = 51820\naddresses = 10.77.0.1/24\n");
        writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + wgInterface + "\nsubnet.v4 = 10.77.0.0/25\nroutes = 10.77.0.0/24\n"
                        // the refused logins below must not run into the login lockout
                        + "auth.failures = 100\n");

        // the user is added before the server runs: the command line opens the store itself
        Path secret = work.resolve("uma.password");
        Files.writeString(secret, PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        run(home.resolve("bin/wirehaven").toString(), "user", "add", USER, "--password-file", secret.toString());

        ProcessBuilder builder = new ProcessBuilder(
                        "ip", "netns", "exec", ns, home.resolve("bin/wirehaven").toString(), "--no-shell")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("WIREHAVEN_HTTP_PORT", Integer.toString(HTTP_PORT));
        builder.environment().put("WIREHAVEN_HTTPS_PORT", Integer.toString(HTTPS_PORT));
        builder.environment().remove("WIREHAVEN_OPTS");
        server = builder.start();

        Matcher credential = awaitOutput(CREDENTIAL);
        admin = credential.group(1);
        adminPassword = credential.group(2);
        awaitOutput(Pattern.compile("Session flow serving WireGuard interface " + Pattern.quote(wgInterface)));

        driver = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        ConsoleClient.DRIVER.toString(),
                        "--port=" + DRIVER_PORT,
                        "--allowed-ips=" + ROOT_SIDE)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("chromedriver.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        HttpClient http =
                HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        Eventually.await(
                "chromedriver in the namespace answers",
                START_TIMEOUT,
                () -> {
                    try {
                        return http.send(
                                        HttpRequest.newBuilder(URI.create(driverUrl() + "/status"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                    } catch (IOException notYet) {
                        return "";
                    }
                },
                body -> body.contains("\"ready\": true") || body.contains("\"ready\":true"));
        Eventually.await(
                "the Users page",
                START_TIMEOUT,
                () -> inNamespace(
                        "curl", "-s", "-u", admin + ":" + adminPassword, "http://127.0.0.1:" + HTTP_PORT + USERS),
                body -> body.contains("id=\"wirehaven-users\""));
    }

    private static String driverUrl() {
        return "http://" + SERVER_SIDE + ":" + DRIVER_PORT;
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (driver != null) {
            driver.destroy();
            driver.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.destroy(); // SIGTERM: the server stops its bundles and removes its interface
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (namespaceMade) {
            // whatever of ours still runs in the namespace (a JVM that outlived its script), by pid
            for (String pid : run(false, "ip", "netns", "pids", ns).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            run(false, "ip", "netns", "delete", ns); // and with it the veth pair
        }
    }

    @Test
    @Order(1)
    void disablingAUserOnThePageRefusesItsLogin_andEnablingLetsItLogInAgain() throws Exception {
        assertEquals(200, login(PASSWORD).status(), "uma logs in before anything is changed");

        WebDriver b = open();
        WebElement row = row(b);
        assertEquals("false", row.getAttribute("data-disabled"), row.getText());
        assertTrue(row.findElement(By.className("logins")).getText().contains("allowed"), row.getText());

        row.findElement(By.name("disable-button")).click();
        ConsoleSession.waitFor(
                b, d -> d.getCurrentUrl().contains("outcome=") && "true".equals(row(d).getAttribute("data-disabled")));
        String notice = b.findElement(By.id("notice")).getText();
        assertTrue(notice.startsWith("User " + USER + " disabled: its password is refused"), notice);
        assertTrue(row(b).findElement(By.className("logins")).getText().contains("disabled"));
        ConsoleSession.screenshot(b, "users-disabled");

        Answer refused = login(PASSWORD);
        Answer wrong = login("not uma's password");
        assertEquals(401, refused.status(), "a disabled user's right password: " + refused);
        assertEquals(wrong.message(), refused.message(), "the answer does not confirm the password");

        row(b).findElement(By.name("enable-button")).click();
        ConsoleSession.waitFor(b, d -> "false".equals(row(d).getAttribute("data-disabled")));
        assertEquals(
                "User " + USER + " enabled.", b.findElement(By.id("notice")).getText());
        assertEquals(200, login(PASSWORD).status(), "uma logs in again");
        ConsoleSession.screenshot(b, "users");

        assertFalse(
                Files.readString(output, StandardCharsets.UTF_8).contains(PASSWORD),
                "the server never logs the password");
    }

    @Test
    @Order(2)
    void anAuthenticatorIsEnrolledOnThePage_shownOnce_confirmedWithTheAppsCode_andRemoved() throws Exception {
        WebDriver b = open();
        Assumptions.assumeFalse(
                b.findElements(By.id("no-second-factor")).size() > 0, "the distribution has no auth-totp: not tested");
        assertEquals("none", row(b).findElement(By.className("factor")).getText());

        row(b).findElement(By.name("enroll-button")).click();
        ConsoleSession.waitFor(b, d -> !d.findElements(By.id("otpauth-uri")).isEmpty());
        String uri = b.findElement(By.id("otpauth-uri")).getText();
        Matcher secret = Pattern.compile("^otpauth://totp/[^?]+:" + USER + "\\?secret=([A-Z2-7]+)&")
                .matcher(uri);
        assertTrue(secret.find(), uri);
        assertEquals(
                secret.group(1),
                b.findElement(By.id("otpauth-key")).getText().replace(" ", ""),
                "the key for typing is the URI's secret");
        assertEquals("not confirmed", row(b).findElement(By.className("factor")).getText());
        assertEquals(uri, scanned(b.findElement(By.id("otpauth-qr"))), "the QR code as Chromium drew it holds the URI");
        ConsoleSession.screenshot(b, "users-enrolling");

        b.navigate().refresh();
        ConsoleSession.waitFor(b, d -> !d.findElements(By.id("wirehaven-users")).isEmpty());
        assertTrue(b.findElements(By.id("otpauth-uri")).isEmpty(), "the secret is shown once");

        row(b).findElement(By.name("code")).sendKeys(totp(base32(secret.group(1)), Instant.now()));
        row(b).findElement(By.cssSelector("button[title^='Confirm']")).click();
        ConsoleSession.waitFor(
                b, d -> row(d).findElement(By.className("factor")).getText().startsWith("confirmed"));
        String notice = b.findElement(By.id("notice")).getText();
        assertTrue(notice.startsWith("Authenticator of " + USER + " confirmed"), notice);

        row(b).findElement(By.name("unenroll-button")).click();
        ConsoleSession.waitFor(
                b, d -> "none".equals(row(d).findElement(By.className("factor")).getText()));
        assertFalse(
                Files.readString(output, StandardCharsets.UTF_8).contains(secret.group(1)),
                "the server never logs the secret");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** RFC 4648 Base32 without padding, as the otpauth URI carries the secret. */
    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    /** The code an authenticator app shows at {@code now}: RFC 6238 with its defaults (SHA-1, 30 s, 6 digits). */
    private static String totp(byte[] key, Instant now) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8)
                .putLong(now.getEpochSecond() / 30)
                .array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    /** The page in Chromium in the namespace, as ConsoleClient starts it; the first call signs in through the URL. */
    private WebDriver open() throws IOException {
        String console = "127.0.0.1:" + HTTP_PORT;
        if (browser == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(ConsoleClient.CHROMIUM.toString());
            options.addArguments(
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
            browser = new RemoteWebDriver(URI.create(driverUrl()).toURL(), options);
            browser.get("http://" + admin + ":" + adminPassword + "@" + console + USERS);
        } else {
            browser.get("http://" + console + USERS);
        }
        ConsoleSession.waitFor(
                browser, d -> !d.findElements(By.id("wirehaven-users")).isEmpty());
        return browser;
    }

    private static WebElement row(WebDriver b) {
        return b.findElement(By.cssSelector("#users tr[data-user='" + USER + "']"));
    }

    /** A control API answer: the HTTP status and the body. */
    private record Answer(int status, String body) {

        /** The JSON body's {@code message} (the bodies here are flat). */
        String message() {
            Matcher m = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(body);
            assertTrue(m.find(), "no message in " + this);
            return m.group(1);
        }
    }

    /** A new session with a fresh WireGuard key, then the password for it, as a client logs in. */
    private Answer login(String password) throws IOException {
        String key = run("sh", "-c", "wg genkey | wg pubkey").trim();
        Answer session = api("/api/v1/sessions", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(201, session.status(), "a new session: " + session);
        Matcher id = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"").matcher(session.body());
        assertTrue(id.find(), session.body());
        return api(
                "/api/v1/sessions/" + id.group(1) + "/auth",
                "{\"method\":\"password\",\"username\":\"" + USER + "\",\"password\":\"" + password + "\"}");
    }

    /** A POST of JSON to the control API from inside the namespace (its certificate is the server's own). */
    private Answer api(String path, String json) throws IOException {
        String mark = "\n--status ";
        String out = inNamespace(
                "curl",
                "-sk",
                "--max-time",
                "30",
                "-X",
                "POST",
                "-w",
                mark + "%{http_code}",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                json,
                "https://127.0.0.1:" + HTTPS_PORT + path);
        int at = out.lastIndexOf(mark);
        assertTrue(at >= 0, "curl gave no status: " + out);
        return new Answer(Integer.parseInt(out.substring(at + mark.length()).trim()), out.substring(0, at));
    }

    private Matcher awaitOutput(Pattern pattern) {
        return Eventually.await(
                "/" + pattern + "/ in " + output,
                START_TIMEOUT,
                () -> {
                    String log = Files.readString(output, StandardCharsets.UTF_8);
                    Matcher m = pattern.matcher(log);
                    if (m.find()) {
                        return m;
                    }
                    if (!server.isAlive()) {
                        throw new IllegalStateException("the server exited with " + server.exitValue() + ":\n" + log);
                    }
                    return null;
                },
                m -> m != null);
    }

    /** Writes a file of etc/ beside it and renames it in, so that FileInstall never reads half of it. */
    private void writeEtc(String name, String content) throws IOException {
        Path tmp = home.resolve("etc/." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(tmp, home.resolve("etc/" + name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String inNamespace(String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        return run(full.toArray(String[]::new));
    }

    private static String run(String... argv) throws IOException {
        return run(true, argv);
    }

    /** Runs a program to completion (at most 60 s) and returns its standard output. */
    private static String run(boolean requireOk, String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (requireOk && p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + p.exitValue() + ": " + err.join() + out);
        }
        return out;
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** What a camera reads from {@code element} as the browser drew it (its screenshot, decoded by ZXing). */
    private static String scanned(WebElement element) throws Exception {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(
                new java.io.ByteArrayInputStream(element.getScreenshotAs(org.openqa.selenium.OutputType.BYTES)));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        com.google.zxing.LuminanceSource source =
                new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new com.google.zxing.qrcode.QRCodeReader()
                .decode(new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(source)))
                .getText();
    }
}
