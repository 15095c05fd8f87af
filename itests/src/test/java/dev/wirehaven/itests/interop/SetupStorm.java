package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Many session setups against the control API at once, as their own program inside the server's
 * namespace (the API is reached on that namespace's loopback, so nothing leaves it). Each setup runs
 * the seed's steps in order with a fresh X25519 key: connection request, password, server config
 * (the address lease), client config (the peer). One line per completed step, flushed at once, so
 * that a test can kill the server after a chosen number of steps and then know what each setup had
 * been told:
 *
 * <pre>
 * requested &lt;n&gt; &lt;sessionId&gt; &lt;publicKey&gt;
 * authenticated &lt;n&gt; &lt;sessionId&gt; &lt;token&gt;
 * leased &lt;n&gt; &lt;sessionId&gt; &lt;address&gt;
 * configured &lt;n&gt; &lt;sessionId&gt;
 * failed &lt;n&gt; &lt;step&gt; &lt;reason&gt;
 * </pre>
 *
 * The server's certificate is pinned by the SHA-256 fingerprint it wrote to {@code data/tls/fingerprint}
 * (the name in it is not checked: the API is reached by a loopback address). The {@code probe} mode
 * asks the status of sessions after a restart: each line {@code <sessionId> <token>} of its file gives
 * {@code probe <sessionId> <http-status> <phase> <addresses>}.
 *
 * <pre>
 * SetupStorm storm &lt;base-url&gt; &lt;fingerprint&gt; &lt;user&gt; &lt;password-file&gt; &lt;count&gt; &lt;device-prefix&gt;
 * SetupStorm probe &lt;base-url&gt; &lt;fingerprint&gt; &lt;sessions-file&gt;
 * </pre>
 */
public final class SetupStorm {

    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ADDRESSES = Pattern.compile("\"addresses\"\\s*:\\s*\\[([^\\]]*)\\]");

    private final HttpClient http;
    private final String base;

    private SetupStorm(String base, String fingerprint) throws Exception {
        this.base = base;
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new X509ExtendedTrustManager[] {new Pinned(fingerprint)}, null);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                // 200 connections at once overflow the listen backlog: SYNs are retried after 1, 3, 7 s...
                .connectTimeout(Duration.ofSeconds(60))
                .build();
    }

    public static void main(String[] args) throws Exception {
        SetupStorm storm = new SetupStorm(args[1], args[2]);
        switch (args[0]) {
            case "storm" ->
                storm.storm(args[3], Files.readString(Path.of(args[4])).trim(), Integer.parseInt(args[5]), args[6]);
            case "probe" -> storm.probe(Path.of(args[3]));
            default -> throw new IllegalArgumentException("storm or probe");
        }
    }

    private void storm(String user, String password, int count, String devicePrefix) throws InterruptedException {
        // all setups start together: the server sees `count` concurrent requests at every step
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    setup(n, user, password, devicePrefix + "-" + n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        say("started " + count);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        say("done");
    }

    private void setup(int n, String user, String password, String device) {
        String step = "request";
        try {
            KeyPairGenerator x25519 = KeyPairGenerator.getInstance("X25519");
            byte[] encoded = x25519.generateKeyPair().getPublic().getEncoded();
            // the X.509 encoding of an X25519 key ends with its 32 raw bytes
            String publicKey = Base64.getEncoder()
                    .encodeToString(java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
            HttpResponse<String> r =
                    send("POST", "/api/v1/sessions", null, json("publicKey", publicKey, "deviceName", device));
            String id = expect(r, 201, "sessionId");
            say("requested " + n + " " + id + " " + publicKey);

            step = "auth";
            r = send(
                    "POST",
                    "/api/v1/sessions/" + id + "/auth",
                    null,
                    json("method", "password", "username", user, "password", password));
            String token = expect(r, 200, "token");
            say("authenticated " + n + " " + id + " " + token);

            step = "server-config";
            r = send("GET", "/api/v1/sessions/" + id + "/server-config", token, null);
            expect(r, 200, "serverPublicKey");
            say("leased " + n + " " + id + " " + addresses(r.body()));

            step = "client-config";
            r = send(
                    "PUT",
                    "/api/v1/sessions/" + id + "/client-config",
                    token,
                    "{\"publicKey\":\"" + publicKey + "\",\"allowedIps\":[]}");
            expect(r, 200, "sessionId");
            say("configured " + n + " " + id);
        } catch (Exception e) {
            // the server was killed under this request, or refused it: the test decides what it means
            say("failed " + n + " " + step + " " + String.valueOf(e).replaceAll("\\s+", "_"));
        }
    }

    private void probe(Path sessions) throws Exception {
        for (String line : Files.readAllLines(sessions)) {
            String[] f = line.trim().split(" ");
            if (f.length != 2) {
                continue;
            }
            HttpResponse<String> r = send("GET", "/api/v1/sessions/" + f[0], f[1], null);
            String phase = "-";
            Matcher m = STRING_FIELD.matcher(r.body());
            while (m.find()) {
                if (m.group(1).equals("phase")) {
                    phase = m.group(2);
                }
            }
            say("probe " + f[0] + " " + r.statusCode() + " " + phase + " " + addresses(r.body()));
        }
        say("done");
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String expect(HttpResponse<String> r, int status, String field) throws IOException {
        if (r.statusCode() != status) {
            throw new IOException("status " + r.statusCode() + ": " + r.body());
        }
        Matcher m = STRING_FIELD.matcher(r.body());
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return m.group(2);
            }
        }
        throw new IOException("no " + field + " in " + r.body());
    }

    /** The {@code addresses} array as {@code a,b}, or {@code -} when empty or absent. */
    private static String addresses(String body) {
        Matcher m = ADDRESSES.matcher(body);
        if (!m.find()) {
            return "-";
        }
        String list = m.group(1).replace("\"", "").replace(" ", "");
        return list.isEmpty() ? "-" : list;
    }

    private static String json(String... keysAndValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            sb.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(keysAndValues[i])
                    .append("\":\"")
                    .append(keysAndValues[i + 1].replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Trusts exactly the certificate whose SHA-256 fingerprint the server wrote, whatever name it has. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final String fingerprint;

        Pinned(String fingerprint) {
            this.fingerprint = fingerprint.replace(":", "").toUpperCase(java.util.Locale.ROOT);
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            try {
                String seen = HexFormat.of()
                        .withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                if (!seen.equals(fingerprint)) {
                    throw new CertificateException("certificate " + seen + " is not the pinned " + fingerprint);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
