package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.RecordingListener;
import dev.wirehaven.client.testing.ServerSide;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's prompter during a live connection (the connection of {@code connect}, on an
 * in-memory tunnel instead of this host's): a policy asks for a step-up that is approved in a browser,
 * and the terminal shows where to go and which code to enter while the tunnel stays up.
 *
 * <pre>
 *   CliPrompter (FakeTerminal) -- SDK connection -- MemoryNetwork -- ServerSide
 *                                  \__ HTTPS __ FakeControlServer: stepUp = [push (APPROVAL)] __/
 * </pre>
 */
class CliStepUpTest {

    @TempDir
    Path dir;

    @Test
    void aStepUpApprovalIsShownOnTheTerminalDuringTheSession() throws Exception {
        FakeTerminal person = new FakeTerminal("secret");
        RecordingListener listener = new RecordingListener();
        try (ServerSide wg = new ServerSide();
                FakeControlServer server = new FakeControlServer(wg);
                WirehavenClient client = WirehavenClient.builder(server.uri())
                        .knownServers(dir.resolve("known_servers"))
                        .build();
                CliPrompter prompter = new CliPrompter(
                        null,
                        new BufferedReader(new StringReader("")),
                        person,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            MemoryPlatform platform = new MemoryPlatform(wg.network.factory(), ServerSide.OPTIONS);
            ConnectOptions options = ConnectOptions.forUser("alice")
                    .withStatusInterval(Duration.ofMillis(200))
                    .withListener(listener);
            try (Connection c = client.connect(options, prompter, platform)) {
                server.auth.approval = new ApprovalPrompt(
                        URI.create("https://idp.example.com/device"),
                        URI.create("https://idp.example.com/device?user_code=WDJB-MJHT"),
                        "WDJB-MJHT",
                        1,
                        Instant.now().plusSeconds(300));
                server.auth.approvalsPending.set(1);
                server.auth.stepUp =
                        List.of(new MethodPrompt("push", CredentialKind.APPROVAL, "Approve on your phone"));

                listener.awaitNth(Kind.STEP_UP_DONE, 1);

                assertTrue(
                        person.shown()
                                .contains("To approve the login of alice at 127.0.0.1:"
                                        + server.uri().getPort()
                                        + " (push), open https://idp.example.com/device and enter the code WDJB-MJHT"),
                        person.all());
                assertTrue(
                        person.shown()
                                .contains("  or open https://idp.example.com/device?user_code=WDJB-MJHT (the code"
                                        + " filled in)"),
                        person.all());
                assertEquals(ConnectionState.ACTIVE, c.status().state());
                assertEquals(2, server.auth.approvalAnswers.size());
            }
        }
    }
}
