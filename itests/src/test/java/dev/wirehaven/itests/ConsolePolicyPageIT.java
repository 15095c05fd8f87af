package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.itests.ConsoleClient.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Policy page on the real server distribution, whose {@code etc/policy.acl} the test
 * writes before the start, in headless Chromium signed in with the admin credential: the page shows the
 * rules in force (a hostile group name among them, as text), validates a broken candidate and lists its
 * mistakes by line without applying it, checks a flow and names the rule that decides it, and shows an
 * invalid edit of the file on disk as the file's problems while the policy in force stays. A post without
 * the page's form token is refused. Screenshots go to {@code itests/target/screenshots/policy*.png}.
 *
 * <pre>
 *   test JVM ── writes etc/policy.acl (644) ──▶ the server zip ── acl engine (deploy/) polls the file
 *   Chromium ── Basic credential cached ──▶ 127.0.0.1:PORT /system/console/wirehaven-policy
 *   test JVM ── raw HTTP/1.1 (Origin, no form token) ──▶ the same page
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePolicyPageIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String POLICY = "/system/console/wirehaven-policy";

    private static final String HOSTILE_GROUP = "<img src=x onerror=alert(1)>";
    private static final String IN_FORCE = """
            # the office (written by ConsolePolicyPageIT)
            host git 10.20.0.5
            network office 10.20.0.0/24
            rule git-ssh: allow group:engineers -> git tcp/22,443
            rule ping: allow * -> office icmp
            rule odd: allow group:"%s" -> git tcp/8443
            rule no-smtp: deny * -> * tcp/25
            """.formatted(HOSTILE_GROUP);
    /** Line 2 names a host that does not exist, line 3 a port out of range. */
    private static final String BROKEN = """
            host git 10.20.0.5
            rule git-ssh: allow group:engineers -> gti tcp/22
            rule web: allow * -> git tcp/70000
            """;

    private Path home;
    private int port;
    private ServerProcess server;
    private ConsoleSession console;

    @BeforeAll
    void start() throws Exception {
        Path work = Distribution.freshWork("ConsolePolicyPageIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        writePolicy(IN_FORCE);
        port = Distribution.freePort();
        server = ServerProcess.start(home, port, work.resolve("server.out"));
        console = ConsoleSession.of(server, port, START_TIMEOUT);
        // the page comes with the console; the engine comes from deploy/ a little later
        Eventually.await(
                "the Policy page with the policy in force",
                START_TIMEOUT,
                () -> console.send("GET", POLICY, null, null),
                r -> r.status() == 200 && r.body().contains("data-name=\"git-ssh\""));
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

    @Test
    void thePageShowsTheRulesInForce_withAHostileNameAsText() throws Exception {
        WebDriver b = console.open(POLICY);
        ConsoleSession.screenshot(b, "policy");
        String summary = b.findElement(By.id("policy-summary")).getText();
        assertTrue(summary.contains("Version 1 of " + home.resolve("etc/policy.acl")), summary);
        assertTrue(summary.contains("4 rules"), summary);
        for (String rule : new String[] {"git-ssh", "ping", "odd", "no-smtp"}) {
            WebElement row = b.findElement(By.cssSelector("#policy-rules tr[data-name='" + rule + "']"));
            assertTrue(row.getText().contains("rule " + rule + ":"), row.getText());
        }
        WebElement odd = b.findElement(By.cssSelector("#policy-rules tr[data-name='odd']"));
        assertTrue(odd.getText().contains("group:\"" + HOSTILE_GROUP + "\""), odd.getText());
        assertTrue(b.findElements(By.cssSelector("#wirehaven-policy img")).isEmpty(), "the name stayed text");
        String listing = b.findElement(By.id("policy-text")).getText();
        assertTrue(listing.contains("    4  rule git-ssh: allow group:engineers -> git tcp/22,443"), listing);
    }

    @Test
    void aBrokenCandidateIsValidatedWithItsMistakesByLine_andNothingIsApplied() throws Exception {
        String file = Files.readString(home.resolve("etc/policy.acl"));
        WebDriver b = console.open(POLICY);
        WebElement candidate = b.findElement(By.id("candidate"));
        candidate.clear();
        candidate.sendKeys(BROKEN);
        b.findElement(By.cssSelector("#validate-form button[type=submit]")).click();
        ConsoleSession.waitFor(b, d -> d.getCurrentUrl().contains("outcome=validated"));
        ConsoleSession.screenshot(b, "policy-validated");

        String summary = b.findElement(By.id("validation-summary")).getText();
        assertTrue(summary.contains("2 mistakes"), summary);
        String unknown = b.findElement(By.cssSelector("#validation-problems tr[data-line='2']"))
                .getText();
        assertTrue(unknown.contains("where"), unknown);
        assertTrue(unknown.contains("unknown name 'gti'"), unknown);
        assertTrue(
                unknown.contains("rule git-ssh: allow group:engineers -> gti tcp/22"), "the line itself: " + unknown);
        String ports = b.findElement(By.cssSelector("#validation-problems tr[data-line='3']"))
                .getText();
        assertTrue(ports.contains("'tcp/70000' is outside 1-65535"), ports);
        assertEquals(BROKEN, b.findElement(By.id("candidate")).getAttribute("value"), "the candidate comes back");

        // only validated: the policy in force and the file are what they were
        assertTrue(b.findElement(By.id("policy-summary")).getText().contains("Version 1 of"));
        assertEquals(file, Files.readString(home.resolve("etc/policy.acl")));
    }

    @Test
    void checkingAFlowNamesTheRuleThatDecidesIt() throws Exception {
        WebDriver b = console.open(POLICY);
        WebElement form = b.findElement(By.id("check-form"));
        type(form, "user", "bob");
        type(form, "groups", "engineers");
        type(form, "address", "10.20.0.5");
        new Select(form.findElement(By.name("protocol"))).selectByValue("tcp");
        type(form, "port", "22");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        ConsoleSession.waitFor(b, d -> d.getCurrentUrl().contains("outcome=checked"));
        ConsoleSession.screenshot(b, "policy-checked");
        WebElement result = b.findElement(By.id("check-result"));
        assertEquals("ALLOW", result.getAttribute("data-verdict"));
        assertTrue(
                result.getText().contains("ALLOW by line 4: rule git-ssh: allow group:engineers -> git tcp/22,443"),
                result.getText());
    }

    @Test
    void anInvalidEditOfTheFileIsShownWithItsLine_whileTheVersionInForceStays() throws Exception {
        writePolicy(IN_FORCE + "rule late: allow * -> git tcp/80 during daily 18:00-20:00 Europe/Pariss\n");
        Eventually.await(
                "the rejected edit on the Policy page",
                ConsoleSession.PAGE_TIMEOUT,
                () -> console.send("GET", POLICY, null, null).body(),
                body -> body.contains("id=\"policy-rejection\""));
        WebDriver b = console.open(POLICY);
        ConsoleSession.screenshot(b, "policy-rejected");
        String summary = b.findElement(By.id("policy-rejection-summary")).getText();
        assertTrue(summary.contains("Version 1 stays in force"), summary);
        String problem = b.findElement(By.cssSelector("#policy-rejection tr[data-line='8']"))
                .getText();
        assertTrue(problem.contains("zone"), problem);
        assertTrue(problem.contains("'Europe/Pariss' is not a time zone"), problem);
        assertTrue(b.findElement(By.id("policy-summary")).getText().contains("Version 1 of"));
    }

    @Test
    void aPostWithoutTheFormTokenIsRefused() throws Exception {
        String form = "op=validate&candidate=" + URLEncoder.encode(BROKEN, StandardCharsets.UTF_8);
        Response refused = console.send("POST", POLICY, "http://" + console.own(), form);
        assertEquals(403, refused.status(), refused.toString());
        assertTrue(refused.body().contains("did not come from the Wirehaven console's own page"), refused.body());
        Response wrong = console.send(
                "POST",
                POLICY,
                "http://" + console.own(),
                form + "&wirehaven-csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(403, wrong.status(), wrong.toString());
        assertFalse(console.send("GET", POLICY, null, null).body().contains("validation-problems"));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** As an editor saves it: a new file renamed over the old, readable by all, writable by its owner only. */
    private void writePolicy(String text) throws IOException {
        Path etc = home.resolve("etc");
        Path temp = etc.resolve(".policy.acl.tmp");
        Files.writeString(temp, text);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(
                temp, etc.resolve("policy.acl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void type(WebElement form, String field, String text) {
        WebElement input = form.findElement(By.name(field));
        input.clear();
        input.sendKeys(text);
    }
}
