package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.wirehaven.itests.ConsoleClient.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console against forged requests, on the real server distribution: a cross-site form post
 * (the browser adds the cached Basic credential), a post with no origin at all, and a page reached
 * under a hostile name that resolves to this host (DNS rebinding, seen as its {@code Host} header).
 * Felix's own pages are the target, because they are what runs code as root: stopping a bundle
 * stands in for uploading one.
 *
 * <pre>
 *   test JVM ── raw HTTP/1.1 (any Host, Origin) ──▶ 127.0.0.1:PORT /system/console (the server zip)
 *   Chromium ── page of http://127.0.0.1:HOSTILE ─ form POST ─▶ same console
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleForgeryIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CREDENTIAL = Pattern.compile("Wirehaven admin user: (\\S+)  password: (\\S+)");
    /** A plugin the console can stop without harm to the test: nothing here logs in with TOTP. */
    private static final String VICTIM = "dev.wirehaven.auth-totp";

    private Path work;
    private Path home;
    private int port;
    private ServerProcess server;
    private String basic;
    private String victimPath;

    @BeforeAll
    void start() throws Exception {
        work = Distribution.freshWork("ConsoleForgeryIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        port = Distribution.freePort();
        server = ServerProcess.start(home, port, work.resolve("server.out"));
        server.awaitLines(CREDENTIAL, 1, START_TIMEOUT);
        Matcher m = CREDENTIAL.matcher(server.output());
        assertTrue(m.find());
        basic = "Basic "
                + Base64.getEncoder().encodeToString((m.group(1) + ":" + m.group(2)).getBytes(StandardCharsets.UTF_8));
        Eventually.await(
                "the console and the " + VICTIM + " bundle",
                START_TIMEOUT,
                () -> send("GET", "/system/console/bundles/" + VICTIM + ".json", own(), null, null),
                r -> r.status() == 200 && r.body().contains("\"Active\""));
        victimPath = "/system/console/bundles/" + VICTIM;
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    // ---- raw requests: every header as an attacker may set it ------------------------------------

    @Test
    void aPostFromAnotherOriginIsRefusedAndChangesNothing() throws IOException {
        Response r = send("POST", victimPath, own(), "http://evil.example", "action=stop");
        assertEquals(403, r.status(), r.toString());
        assertActive();
        assertTrue(server.output().contains("Refused console request POST " + victimPath), server.output());
        // and a security event, which the shipped audit sink writes as a JSON line
        Eventually.await(
                "the refusal in data/audit/audit.log",
                Duration.ofSeconds(20),
                () -> Files.exists(home.resolve("data/audit/audit.log"))
                        ? Files.readString(home.resolve("data/audit/audit.log"))
                        : "",
                log -> log.contains("\"type\":\"admin.request-refused\"") && log.contains("evil.example"));
    }

    @Test
    void aPostWithoutOriginOrRefererIsRefused() throws IOException {
        Response r = send("POST", victimPath, own(), null, "action=stop");
        assertEquals(403, r.status(), r.toString());
        assertActive();
    }

    @Test
    void aHostileNameForThisHostIsRefusedEvenForReading() throws IOException {
        Response r = send("GET", "/system/console/bundles", "evil.example:" + port, null, null);
        assertEquals(403, r.status(), r.toString());
        // a rebinding page is same-origin with itself; its own Origin does not help it
        r = send("POST", victimPath, "evil.example:" + port, "http://evil.example:" + port, "action=stop");
        assertEquals(403, r.status(), r.toString());
        assertActive();
    }

    @Test
    void theConsolesOwnPostStillWorks_andTheConsoleCannotBeFramed() throws IOException {
        Response stopped = send("POST", victimPath, own(), "http://" + own(), "action=stop");
        assertEquals(200, stopped.status(), stopped.toString());
        assertTrue(state().contains("\"Resolved\""), state());
        Response started = send("POST", victimPath, own(), "http://" + own(), "action=start");
        assertEquals(200, started.status(), started.toString());
        awaitActive();
        Response page = send("GET", "/system/console/bundles", own(), null, null);
        assertTrue(page.head().contains("X-Frame-Options: SAMEORIGIN"), page.head());
    }

    // ---- a real browser with the credential cached ----------------------------------------------

    @Test
    void aHostilePageInTheOperatorsBrowserCannotPostToTheConsole() throws Exception {
        ConsoleClient.assumeBrowser();
        HttpServer hostile = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String form = "<html><body><form id=f method=post action=\"http://" + own() + victimPath + "\">"
                + "<input name=action value=stop></form><script>document.getElementById('f').submit()</script>"
                + "</body></html>";
        hostile.createContext("/", exchange -> {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        hostile.start();
        WebDriver browser = ConsoleClient.browser();
        try {
            // the operator signs in: the browser now holds the Basic credential for the console's origin
            String[] userPassword = new String(
                            Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8)
                    .split(":", 2);
            browser.get("http://" + userPassword[0] + ":" + userPassword[1] + "@" + own() + "/system/console/bundles");
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.tagName("body")).getText().contains(VICTIM));
            // the same page without the credential in its URL: the browser sends the cached one
            browser.get("http://" + own() + "/system/console/bundles");
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.tagName("body")).getText().contains(VICTIM));

            // the positive control: a script of the console's own origin, with only the cached
            // credential, can stop the bundle, so a forged post would have had what it needed
            Object status = ((JavascriptExecutor) browser)
                    .executeAsyncScript("const done = arguments[arguments.length - 1];"
                            + "fetch('" + victimPath + "', {method: 'POST', headers: {'Content-Type':"
                            + " 'application/x-www-form-urlencoded'}, body: 'action=stop'}).then(r => done(r.status),"
                            + " e => done(String(e)));");
            assertEquals(200L, status, "the console's own page, with the cached credential");
            assertTrue(state().contains("\"Resolved\""), state());
            send("POST", victimPath, own(), "http://" + own(), "action=start");
            awaitActive();

            // the attack: another origin's page posts a form at the console
            browser.get("http://127.0.0.1:" + hostile.getAddress().getPort() + "/");
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(d -> d.getCurrentUrl().contains(victimPath));
            String answer = browser.findElement(By.tagName("body")).getText();
            assertTrue(answer.contains("Refused"), "what the forged post got: " + answer);
            assertActive();
        } finally {
            browser.quit();
            hostile.stop(0);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String own() {
        return "127.0.0.1:" + port;
    }

    private String state() throws IOException {
        return send("GET", victimPath + ".json", own(), null, null).body();
    }

    /** After a start: the console may answer before the bundle's activation is through. */
    private void awaitActive() {
        Eventually.await(
                "the bundle to be active again", Duration.ofSeconds(20), this::state, s -> s.contains("\"Active\""));
    }

    private void assertActive() throws IOException {
        String state = state();
        assertTrue(state.contains("\"Active\""), "the bundle must still be active: " + state);
    }

    /** One request with the admin credential and exactly this {@code Host} and {@code Origin}. */
    private Response send(String method, String path, String host, String origin, String form) throws IOException {
        return ConsoleClient.send(port, method, path, host, basic, origin, form);
    }
}
