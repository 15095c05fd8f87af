package dev.wirehaven.auth.ldap.internal;

import static dev.wirehaven.auth.ldap.internal.LdapAuthProviderTest.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory that is down, silent or replaced by its second server: logins answer UNAVAILABLE
 * within the configured timeouts (so that the server's chain can fall back) or go on at the next
 * URL, and never hang.
 *
 * <pre>
 *   doomed ─── stopped in a test ─── UNAVAILABLE
 *   silent ─── a socket that accepts and never answers ─── UNAVAILABLE after the response timeout
 *   [closed port, stable]  ─── failover at connect ─── SUCCESS
 *   [primary, stable] ─── primary stopped while in use ─── SUCCESS from stable
 * </pre>
 */
class DirectoryOutageTest {

    private static final int CONNECT_TIMEOUT = 1000;
    private static final int RESPONSE_TIMEOUT = 1000;
    /**
     * The longest a login may take while its directory is down: each of the two connections (search,
     * bind) may spend both timeouts once and the pool retries once; anything longer is a hang.
     */
    private static final Duration BOUND = Duration.ofMillis(3L * (CONNECT_TIMEOUT + RESPONSE_TIMEOUT));

    @TempDir
    static Path files;

    private static Slapd stable;
    private static Slapd doomed;
    private static Slapd primary;

    @BeforeAll
    static void startDirectories() {
        stable = Slapd.start();
        doomed = Slapd.start();
        primary = Slapd.start();
    }

    @AfterAll
    static void stopDirectories() {
        for (Slapd slapd : new Slapd[] {stable, doomed, primary}) {
            if (slapd != null) {
                slapd.close();
            }
        }
    }

    private static TestConfiguration config(String... urls) {
        return TestConfiguration.urls(urls)
                .with("userDnTemplate", "uid={0}," + Slapd.PEOPLE)
                .with("connectTimeoutMillis", CONNECT_TIMEOUT)
                .with("responseTimeoutMillis", RESPONSE_TIMEOUT);
    }

    /** A port on which nothing listens: connections are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static AuthResult timed(Supplier<AuthResult> login) {
        long start = System.nanoTime();
        AuthResult result = login.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, () -> "took " + took.toMillis() + " ms, more than " + BOUND);
        return result;
    }

    private static void assertUnavailable(AuthResult result, String expectedInReason) {
        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result::toString);
        assertTrue(result.reason().contains(expectedInReason), result.reason());
    }

    @Test
    void aStoppedDirectoryIsUnavailableWithinTheTimeout() {
        try (LdapAuthProvider provider = config(doomed.ldapUrl())
                .with("bindDn", Slapd.ADMIN_DN)
                .with("bindPasswordFile", adminPasswordFile())
                .provider()) {
            assertTrue(login(provider, "alice", "alice-password").isSuccess(), "the pool has a connection now");
            doomed.stop();
            assertUnavailable(timed(() -> login(provider, "alice", "alice-password")), doomed.ldapUrl());
            assertUnavailable(timed(() -> login(provider, "nobody", "whatever")), doomed.ldapUrl());
        }
    }

    @Test
    void aDirectoryThatNeverAnswersIsUnavailableWithinTheResponseTimeout() throws IOException {
        // the kernel completes the TCP handshake for the backlog; nobody ever reads or writes
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "ldap://127.0.0.1:" + silent.getLocalPort();
            try (LdapAuthProvider template = config(url).provider()) {
                assertUnavailable(timed(() -> login(template, "alice", "alice-password")), url);
            }
            try (LdapAuthProvider search = config(url)
                    .without("userDnTemplate")
                    .with("userSearchBase", Slapd.PEOPLE)
                    .provider()) {
                assertUnavailable(timed(() -> login(search, "alice", "alice-password")), url);
            }
            // the TLS handshake waits for the server's hello: the connect timeout bounds it
            String ldaps = "ldaps://127.0.0.1:" + silent.getLocalPort();
            try (LdapAuthProvider tls = config(ldaps).provider()) {
                assertUnavailable(timed(() -> login(tls, "alice", "alice-password")), ldaps);
            }
        }
    }

    @Test
    void anEmptyPasswordIsRefusedWithoutAskingTheDirectory() throws IOException {
        // nothing listens, so any request would answer UNAVAILABLE: FAILURE shows that none was made
        try (LdapAuthProvider provider =
                config("ldap://127.0.0.1:" + closedPort()).provider()) {
            assertEquals(AuthResult.failure(), login(provider, "alice", ""));
        }
    }

    @Test
    void anUnreachableFirstServerFailsOverToTheSecond() throws IOException {
        String closed = "ldap://127.0.0.1:" + closedPort();
        try (LdapAuthProvider provider = config(closed, stable.ldapUrl())
                .without("userDnTemplate")
                .with("userSearchBase", Slapd.PEOPLE)
                .with("bindDn", Slapd.ADMIN_DN)
                .with("bindPasswordFile", adminPasswordFile())
                .provider()) {
            assertEquals(
                    "alice",
                    timed(() -> login(provider, "alice", "alice-password"))
                            .identity()
                            .orElseThrow()
                            .user());
        }
    }

    @Test
    void whenTheFirstDirectoryStopsLoginsGoOnAtTheSecond() {
        try (LdapAuthProvider provider = config(primary.ldapUrl(), stable.ldapUrl())
                .without("userDnTemplate")
                .with("userSearchBase", Slapd.PEOPLE)
                .with("bindDn", Slapd.ADMIN_DN)
                .with("bindPasswordFile", adminPasswordFile())
                .provider()) {
            assertTrue(login(provider, "alice", "alice-password").isSuccess());
            primary.stop();
            // the pool's connection to the first server is dead: replaced by one to the second, the search retried
            assertTrue(timed(() -> login(provider, "alice", "alice-password")).isSuccess());
            assertEquals(AuthResult.failure(), login(provider, "alice", "wrong"));
        }
    }

    private static String adminPasswordFile() {
        Path file = files.resolve("admin.password");
        try {
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.writeString(file, Slapd.ADMIN_PASSWORD);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }
}
