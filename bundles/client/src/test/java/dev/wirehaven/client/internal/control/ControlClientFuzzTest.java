package dev.wirehaven.client.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client's reading of everything a control API server answers: through {@link ControlClient}'s
 * real HTTP path (its HttpClient, body limit, status handling and JSON binding) and on into {@link
 * TunnelSettings}, where the server's addresses, routes and DNS become what the client puts on the
 * host. The property is the code's contract: each call gives a value (or, for 204, nothing), or
 * fails with a {@link ControlApiException} (an error status, with that status) or a {@link
 * ClientException} (an answer that is not the call's message); {@link TunnelSettings} gives settings
 * or an {@link IllegalArgumentException}. Anything else (a null value for a 2xx with a body, a
 * NullPointerException, a Jackson exception that escapes) is a finding.
 *
 * <p>The server is the JDK's HttpServer on loopback, over plain HTTP: the TLS under the control API is
 * the JDK's and has its own tests (PinningTrustManagerTest); a handshake per input would cost more
 * than the parsing fuzzed here. An input is the server's answer: the first line is {@code <call>
 * <status>} (call: session, auth, reauth, stepup, access, serverconfig, clientconfig, confirm, report,
 * status, policy, ack, disconnect), header lines follow until an empty line, the rest is the body.
 *
 * <p>Regression mode runs {@code ControlClientFuzzTestInputs/answer}: a valid answer to every call and
 * the error answers of the protocol. Fuzzing, at most five minutes (the module's README lists every
 * target; this module's README is being changed elsewhere, so the command is here):
 * {@code JAVA_TOOL_OPTIONS=-Xmx1g JAZZER_FUZZ=1 ./mvnw -B -o test -pl bundles/client
 * -Dtest='ControlClientFuzzTest#answer'} ({@code -DargLine} does not reach this module's tests: its pom sets
 * the argLine; {@code -Djazzer.max_duration=15m} or {@code -Djazzer.max_executions=1000000} replace the
 * five minutes). One server and one client serve the whole run, the answer swapped per input: an input
 * costs one HTTP exchange on loopback, about a millisecond.
 */
class ControlClientFuzzTest {

    private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final AuthResponse PASSWORD = new AuthResponse("password", "alice", "pw", null, null);
    // compiled once for the run rather than by String.matches on every input
    private static final Pattern STATUS = Pattern.compile("\\d{3}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    private static HttpServer server;
    private static ControlClient client;
    private static volatile Answer answer;

    /** What the server sends back to the next call. */
    private record Answer(int status, List<String[]> headers, byte[] body) {}

    @BeforeAll
    static void start() throws Exception {
        // the JDK's server writes headers and body apart: without TCP_NODELAY each answer waits for the
        // client's delayed ACK (Nagle), 40 answers a second instead of thousands
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", ControlClientFuzzTest::respond);
        server.start();
        client = new ControlClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                SSLContext.getDefault(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                "wirehaven-fuzz");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Answer a = answer;
            for (String[] header : a.headers()) {
                exchange.getResponseHeaders().add(header[0], header[1]);
            }
            boolean bodiless = a.status() == 204 || a.status() == 304;
            exchange.sendResponseHeaders(a.status(), bodiless ? -1 : a.body().length == 0 ? -1 : a.body().length);
            if (!bodiless && a.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void answer(byte[] input) throws Exception {
        String call = parse(input);
        int status = answer.status();
        Object value;
        try {
            value = call(call);
        } catch (ControlApiException e) {
            assertTrue(status < 200 || status >= 300, () -> "an error for status " + status + ": " + e);
            assertEquals(status, e.status(), "the error carries the answer's status");
            assertNotNull(e.code());
            assertNotNull(e.error().message());
            return;
        } catch (ClientException e) {
            assertNotNull(e.reason());
            assertNotNull(e.getMessage());
            return;
        }
        assertTrue(status >= 200 && status < 300, () -> "a value for status " + status);
        boolean empty = status == 204 || call.equals("ack");
        if (!empty) {
            assertNotNull(
                    value, () -> call + ": null for a " + status + " answer with the body " + text(answer.body()));
        }
        if (value instanceof ServerConfig config) {
            tunnel(config);
        } else if (value instanceof Optional<?> update && update.isPresent()) {
            policy((PolicyUpdate) update.get());
        }
    }

    private static Object call(String call) throws IOException {
        return switch (call) {
            case "session" -> client.requestSession(new ConnectionRequest(KEY, null, "laptop"));
            case "auth" -> client.authenticate("s1", PASSWORD);
            case "reauth" -> client.reauthenticate("s1", "token-1", PASSWORD);
            case "stepup" -> client.stepUp("s1", "token-1", new AuthResponse("totp", null, null, "123456", null));
            case "access" -> client.requestAccess("s1", "token-1", new ResourceRequest("tcp", "10.20.0.5", 22));
            case "clientconfig" -> client.clientConfig("s1", "token-1", new ClientConfig(KEY, List.of("10.8.0.2/32")));
            case "confirm" -> client.confirm("s1", "token-1", new SetupConfirmation("wg0"));
            case "report" -> client.report("s1", "token-1", new StatusReport(1, 2, 3, 4));
            case "status" -> client.status("s1", "token-1");
            case "ack" -> {
                client.acknowledge("s1", "token-1", new PolicyAck(3, true, null));
                yield null;
            }
            case "disconnect" -> client.disconnect("s1", "token-1", Duration.ofSeconds(10));
            case "policy" -> {
                try {
                    yield client.pollPolicy("s1", "token-1", 2, Duration.ZERO).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new AssertionError("the policy poll failed with " + e.getCause(), e.getCause());
                } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(e);
                }
            }
            default -> client.serverConfig("s1", "token-1");
        };
    }

    /** A server config as the setup applies it: settings, or the IllegalArgumentException that refuses it. */
    private static void tunnel(ServerConfig config) {
        NetworkSettings settings;
        try {
            settings = TunnelSettings.from(config, List.of(InetAddress.getLoopbackAddress()));
        } catch (IllegalArgumentException refused) {
            assertPrintable(refused.getMessage());
            return;
        }
        assertTrue(settings.mtu() >= 1280 && settings.mtu() <= 65535, "mtu");
        for (Cidr route : settings.routes()) {
            assertFalse(takesLocalTraffic(route), () -> "a route that takes the host's local traffic: " + route);
        }
        for (String domain : settings.searchDomains()) {
            assertPrintable(domain);
        }
        for (InetAddress dns : settings.dnsServers()) {
            assertFalse(
                    dns.isLoopbackAddress()
                            || dns.isMulticastAddress()
                            || dns.isAnyLocalAddress()
                            || dns.isLinkLocalAddress(),
                    () -> "a DNS server the tunnel cannot serve: " + dns);
        }
    }

    /**
     * A prefix inside link-local, multicast or loopback (the list of what a server may not route
     * into the tunnel): a full tunnel contains them but is the server's right, so only prefixes at least
     * as long as those ranges count.
     */
    private static boolean takesLocalTraffic(Cidr route) {
        InetAddress a = route.address();
        int length = route.prefixLength();
        if (route.isIpv4()) {
            return (a.isLinkLocalAddress() && length >= 16)
                    || (a.isMulticastAddress() && length >= 4)
                    || (a.isLoopbackAddress() && length >= 8);
        }
        return (a.isLinkLocalAddress() && length >= 10)
                || (a.isMulticastAddress() && length >= 8)
                || (a.isLoopbackAddress() && length == 128);
    }

    /** A policy update as the client follows it: its routes and DNS, or the IllegalArgumentException. */
    private static void policy(PolicyUpdate update) {
        try {
            TunnelSettings.routes(update.routes(), List.of("10.8.0.0/24"));
            TunnelSettings.splitDns(update.dns(), new ArrayList<>(), new ArrayList<>());
        } catch (IllegalArgumentException refused) {
            assertPrintable(refused.getMessage());
        }
    }

    /** What the client shows a person: no control or format characters from the server. */
    private static void assertPrintable(String text) {
        assertTrue(
                text.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
                () -> "control or format characters in "
                        + text.codePoints()
                                .mapToObj(c -> String.format("U+%04X", c))
                                .toList());
    }

    /** Sets {@link #answer} from an input (see the class comment); returns the call. */
    private static String parse(byte[] input) {
        int at = 0;
        List<String> lines = new ArrayList<>();
        int bodyStart = input.length;
        while (at < input.length) {
            int end = at;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            String line = new String(input, at, end - at, StandardCharsets.ISO_8859_1).replace("\r", "");
            at = Math.min(end + 1, input.length);
            if (!lines.isEmpty() && line.isEmpty()) {
                bodyStart = at;
                break;
            }
            lines.add(line);
            bodyStart = at;
        }
        String[] first = lines.isEmpty() ? new String[0] : lines.get(0).strip().split("\\s+");
        String call = first.length > 0 ? first[0].toLowerCase(Locale.ROOT) : "";
        int status = 200;
        if (first.length > 1 && STATUS.matcher(first[1]).matches()) {
            // 1xx are interim answers that HttpClient waits past, and the JDK's server sends none
            status = Math.max(200, Math.min(599, Integer.parseInt(first[1])));
        }
        List<String[]> headers = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            String lower = name.toLowerCase(Locale.ROOT);
            // what the JDK's server sets itself, or refuses to send, would not be the fuzzed answer
            if (!HEADER_NAME.matcher(name).matches()
                    || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                    || lower.equals("content-length")
                    || lower.equals("transfer-encoding")
                    || lower.equals("connection")
                    || lower.equals("date")) {
                continue;
            }
            headers.add(new String[] {name, value});
        }
        answer = new Answer(status, headers, Arrays.copyOfRange(input, bodyStart, input.length));
        return call;
    }

    private static String text(byte[] body) {
        return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
}
