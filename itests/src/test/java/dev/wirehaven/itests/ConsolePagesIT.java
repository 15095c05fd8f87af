package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.wirehaven.itests.ConsoleClient.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The console's Wirehaven pages (Sessions, Security, Throughput) on the real server distribution, in
 * headless Chromium signed in with the admin credential: each page shows what it should inside the
 * console's frame under its strict Content-Security-Policy, the Security page blocks and unblocks an
 * address through its forms, and its block form refuses a post without the page's form token, from a
 * script or from another origin's page in the operator's browser. A screenshot of each page goes to
 * {@code itests/target/screenshots/<page>.png}.
 *
 * <pre>
 *   Chromium ── Basic credential cached ──▶ 127.0.0.1:PORT /system/console/wirehaven-* (the server zip)
 *   Chromium ── page of http://127.0.0.1:HOSTILE ─ form POST ─▶ /system/console/wirehaven-security
 *   test JVM ── raw HTTP/1.1 (Origin, form token or not) ──▶ the same page
 * </pre>
 *
 * The Security page's block and undo need the security responses bundle: those parts are skipped
 * (an assumption) when the page says that it is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePagesIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern TOKEN = Pattern.compile("name=\"wirehaven-csrf\" value=\"([A-Za-z0-9_-]+)\"");

    private static final String SESSIONS = "/system/console/wirehaven-sessions";
    private static final String SECURITY = "/system/console/wirehaven-security";
    private static final String THROUGHPUT = "/system/console/wirehaven-throughput";
    /** What the session layer logs while no WireGuard interface is configured (the zip as shipped). */
    private static final String SESSIONS_WAIT = "Sessions wait for WireGuard interface";

    private static final String NOT_INSTALLED = "security responses bundle is not installed";

    private Path work;
    private Path home;
    private int port;
    private ServerProcess server;
    private ConsoleSession console;

    @BeforeAll
    void start() throws Exception {
        work = Distribution.freshWork("ConsolePagesIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        port = Distribution.freePort();
        server = ServerProcess.start(home, port, work.resolve("server.out"));
        console = ConsoleSession.of(server, port, START_TIMEOUT);
        for (String page : List.of(SESSIONS, SECURITY, THROUGHPUT)) {
            Eventually.await(
                    "the console page " + page,
                    START_TIMEOUT,
                    () -> console.send("GET", page, null, null),
                    r -> r.status() == 200 && r.body().contains("class=\"wirehaven-page\""));
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (console != null) {
            console.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- the pages in a browser -----------------------------------------------------------------

    @Test
    void theSessionsPageListsTheOpenSessionsOrSaysThereAreNone() throws Exception {
        WebDriver b = console.open(SESSIONS);
        ConsoleSession.screenshot(b, "sessions");
        String text = b.findElement(By.id("wirehaven-sessions")).getText();
        if (server.output().contains(SESSIONS_WAIT)) {
            // the zip as shipped has no WireGuard interface: the session layer waits, and the page says so
            assertTrue(text.contains("The session layer is not running"), "the Sessions page: " + text);
        } else {
            boolean none = text.contains("No open sessions.");
            boolean listed = !b.findElements(By.id("sessions")).isEmpty();
            assertTrue(none || listed, "the Sessions page: " + text);
        }
        assertTheConsoleFrameWorksUnderThePolicy(b, "wirehaven-sessions");
    }

    @Test
    void theThroughputPageDrawsItsChartOrSaysThereIsNoDataYet_andRefreshesItself() throws Exception {
        WebDriver b = console.open(THROUGHPUT);
        ConsoleSession.screenshot(b, "throughput");
        String text = b.findElement(By.id("wirehaven-throughput")).getText();
        boolean chart =
                !b.findElements(By.cssSelector("#wirehaven-throughput svg")).isEmpty();
        assertTrue(chart || text.contains("No throughput yet"), "the Throughput page: " + text);
        assertTheConsoleFrameWorksUnderThePolicy(b, "wirehaven-throughput");
        Response raw = console.send("GET", THROUGHPUT, null, null);
        assertTrue(raw.head().contains("Refresh: 10"), raw.head());
    }

    @Test
    void theSecurityPageBlocksAnAddressThroughItsForm_andUndoEndsTheBlock() throws Exception {
        WebDriver b = console.open(SECURITY);
        ConsoleSession.screenshot(b, "security");
        String page = b.findElement(By.id("wirehaven-security")).getText();
        assertTheConsoleFrameWorksUnderThePolicy(b, "wirehaven-security");
        Assumptions.assumeFalse(
                page.contains(NOT_INSTALLED),
                "the distribution has no security responses bundle yet: block and undo not tested");

        WebElement form = b.findElement(By.id("block-form"));
        form.findElement(By.name("target")).sendKeys("192.0.2.66");
        WebElement duration = form.findElement(By.name("duration"));
        duration.clear();
        duration.sendKeys("10m");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        ConsoleSession.waitFor(b, d -> d.getCurrentUrl().contains("outcome=blocked"));
        assertTrue(activeRow(b).isPresent(), "192.0.2.66 in force: " + bodyText(b));
        assertTrue(
                activeRow(b).get().getText().contains("an operator (console)"),
                activeRow(b).get().getText());
        ConsoleSession.screenshot(b, "security-blocked");
        // the console's own sink got the server's security event for it
        Eventually.await(
                "response.applied for 192.0.2.66 among the page's security events",
                ConsoleSession.PAGE_TIMEOUT,
                () -> console.send("GET", SECURITY, null, null).body(),
                body -> body.contains("<td>response.applied</td>") && body.contains("<td>192.0.2.66</td>"));

        activeRow(b).get().findElement(By.cssSelector("button[type=submit]")).click();
        ConsoleSession.waitFor(b, d -> d.getCurrentUrl().contains("outcome=undone"));
        assertTrue(activeRow(b).isEmpty(), "the block has ended: " + bodyText(b));
        WebElement recent = b.findElement(By.cssSelector("#recent-responses tr[data-target='192.0.2.66/32']"));
        assertTrue(recent.getText().contains("UNDONE"), recent.getText());
    }

    // ---- the block form against forgery ---------------------------------------------------------

    @Test
    void aPostWithTheConsolesOriginButWithoutTheFormTokenIsRefused() throws Exception {
        String block = "op=block&target=192.0.2.77&duration=10m&reason=forged";
        Response refused = console.send("POST", SECURITY, "http://" + console.own(), block);
        assertEquals(403, refused.status(), refused.toString());
        assertTrue(refused.body().contains("did not come from the Wirehaven console's own page"), refused.body());
        Response wrong = console.send(
                "POST",
                SECURITY,
                "http://" + console.own(),
                block + "&wirehaven-csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(403, wrong.status(), wrong.toString());
        assertNothingBlocked("192.0.2.77");

        // the positive control: the page's own token makes the same post pass (303 back to the page)
        Response page = console.send("GET", SECURITY, null, null);
        Assumptions.assumeFalse(page.body().contains(NOT_INSTALLED), "no security responses bundle: no block form");
        Matcher token = TOKEN.matcher(page.body());
        assertTrue(token.find(), page.body());
        Response passed = console.send(
                "POST",
                SECURITY,
                "http://" + console.own(),
                "op=block&target=192.0.2.78&duration=1m&reason="
                        + URLEncoder.encode("the test's own", StandardCharsets.UTF_8) + "&wirehaven-csrf="
                        + token.group(1));
        assertEquals(303, passed.status(), passed.toString());
        assertTrue(passed.head().contains("Location: "), passed.head());
        assertTrue(console.send("GET", SECURITY, null, null).body().contains("data-target=\"192.0.2.78/32\""));
    }

    @Test
    void aHostilePageInTheOperatorsBrowserCannotBlockThroughTheSecurityPage() throws Exception {
        ConsoleClient.assumeBrowser();
        HttpServer hostile = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String form = "<html><body><form id=f method=post action=\"http://" + console.own() + SECURITY + "\">"
                + "<input name=op value=block><input name=target value=192.0.2.99>"
                + "<input name=duration value=10m><input name=reason value=forged></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        hostile.createContext("/", exchange -> {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        hostile.start();
        try {
            WebDriver b = console.open(SECURITY); // the operator is signed in: the browser holds the credential
            b.get("http://127.0.0.1:" + hostile.getAddress().getPort() + "/");
            ConsoleSession.waitFor(b, d -> d.getCurrentUrl().contains(SECURITY));
            String answer = bodyText(b);
            assertTrue(answer.contains("Refused"), "what the forged post got: " + answer);
            assertTrue(server.output().contains("Refused console request POST " + SECURITY), server.output());
            assertNothingBlocked("192.0.2.99");
        } finally {
            hostile.stop(0);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * The console's frame has two inline scripts that our policy allows by hash; had the policy
     * blocked them, {@code pluginRoot} would not be set. And the policy is there, without
     * {@code unsafe-inline} for scripts.
     */
    private void assertTheConsoleFrameWorksUnderThePolicy(WebDriver b, String label) throws IOException {
        Object pluginRoot = ((JavascriptExecutor) b).executeScript("return window.pluginRoot;");
        assertEquals("/system/console/" + label, pluginRoot, "the frame's inline script ran");
        Response raw = console.send("GET", "/system/console/" + label, null, null);
        Matcher policy = Pattern.compile("(?im)^Content-Security-Policy: (.*)$").matcher(raw.head());
        assertTrue(policy.find(), raw.head());
        assertTrue(policy.group(1).contains("script-src 'self' 'sha256-"), policy.group(1));
        assertFalse(policy.group(1).contains("unsafe-eval"), policy.group(1));
        String scripts = policy.group(1).replaceAll(".*script-src ([^;]*);.*", "$1");
        assertFalse(scripts.contains("unsafe-inline"), scripts);
    }

    private java.util.Optional<WebElement> activeRow(WebDriver b) {
        return b.findElements(By.cssSelector("#active-responses tr[data-target='192.0.2.66/32']")).stream()
                .findFirst();
    }

    /** Neither in force nor recorded (a refused response would be recorded too). */
    private void assertNothingBlocked(String address) throws IOException {
        String page = console.send("GET", SECURITY, null, null).body();
        assertFalse(page.contains("data-target=\"" + address + "/32\""), "nothing blocked " + address + ": " + page);
    }

    private static String bodyText(WebDriver b) {
        return b.findElement(By.tagName("body")).getText();
    }
}
