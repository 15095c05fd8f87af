package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.OneTimeCode;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.plugins.PluginKind;
import dev.wirehaven.sessions.internal.plugins.PluginOrigin;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Real auth providers of our own SPI, as a plugin would write them, and their binding as the registry holds them. */
final class TestProviders {

    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    private TestProviders() {}

    /** Users and passwords; users in {@code needCode} must also pass the one-time code method. */
    static final class Passwords implements AuthProvider {
        private final Map<String, String> passwords;
        private final Set<String> needCode;
        final AtomicInteger calls = new AtomicInteger();

        Passwords(Map<String, String> passwords, Set<String> needCode) {
            this.passwords = passwords;
            this.needCode = needCode;
        }

        @Override
        public String method() {
            return "password";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.PASSWORD);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            calls.incrementAndGet();
            PasswordCredential c = (PasswordCredential) request.credential();
            char[] given = c.password();
            try {
                String expected = passwords.get(c.username());
                if (expected == null || !Arrays.equals(expected.toCharArray(), given)) {
                    return AuthResult.failure();
                }
            } finally {
                Arrays.fill(given, '\0');
            }
            Identity identity = Identity.of(c.username(), "staff");
            return needCode.contains(c.username())
                    ? AuthResult.needsAnotherFactor(identity, List.of("totp"))
                    : AuthResult.success(identity);
        }
    }

    /** A second factor: the code "123456" for whoever the first factor established. */
    static final class Codes implements AuthProvider {
        @Override
        public String method() {
            return "totp";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.ONE_TIME_CODE);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            if (!request.isFurtherFactor()) {
                return AuthResult.failure();
            }
            return ((OneTimeCode) request.credential()).code().equals("123456")
                    ? AuthResult.success(request.establishedIdentity())
                    : AuthResult.failure();
        }
    }

    /** A password provider whose directory is down. */
    static final class Unavailable implements AuthProvider {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String method() {
            return "password";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.PASSWORD);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            calls.incrementAndGet();
            return AuthResult.unavailable("directory ldap.example.com unreachable");
        }
    }

    /** A password provider with a bug that puts the password into its exception. */
    static final class Throwing implements AuthProvider {
        @Override
        public String method() {
            return "password";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.PASSWORD);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            throw new IllegalStateException(
                    "bad password " + new String(((PasswordCredential) request.credential()).password()));
        }
    }

    /**
     * A password provider as slow as a directory that hangs: a check of the user {@code slow} waits
     * until the test releases it (and says when it started waiting); other users are refused at once.
     */
    static final class Blocking implements AuthProvider {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String method() {
            return "password";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.PASSWORD);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            PasswordCredential c = (PasswordCredential) request.credential();
            if (!c.username().equals("slow")) {
                return AuthResult.failure();
            }
            waiting.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    return AuthResult.unavailable("the test never released the slow login");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AuthResult.unavailable("interrupted");
            }
            return AuthResult.success(Identity.of("slow"));
        }
    }

    /** The provider as the registry would hold it, with a service ranking. */
    static BoundPlugin<AuthProvider> bound(AuthProvider provider, int ranking) {
        long id = SERVICE_IDS.incrementAndGet();
        return new BoundPlugin<>(
                PluginKind.AUTH_PROVIDER,
                provider.method(),
                new PluginOrigin(id, "test.providers", "1.0.0", ranking, Map.of("service.id", id)),
                provider);
    }

    /** A directory of method {@code ldap}: dave with groups staff and finance; down while {@link #down} is set. */
    static final class Directory implements AuthProvider {
        final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String method() {
            return "ldap";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.PASSWORD);
        }

        @Override
        public String prompt(CredentialKind kind) {
            return "Directory password";
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            calls.incrementAndGet();
            if (down.get()) {
                return AuthResult.unavailable("ldap.example.com:636 unreachable");
            }
            PasswordCredential c = (PasswordCredential) request.credential();
            char[] given = c.password();
            try {
                // the directory knows dave by two names, as directories map a mail address to an account
                boolean dave =
                        c.username().equalsIgnoreCase("dave") || c.username().equals("dave@corp");
                return dave && Arrays.equals(given, "dave's secret".toCharArray())
                        ? AuthResult.success(Identity.of("dave", "staff", "finance"))
                        : AuthResult.failure();
            } finally {
                Arrays.fill(given, '\0');
            }
        }
    }

    /** A second factor that users enroll in: the code "654321", only for the users in {@link #enrolledUsers}. */
    static final class EnrolledCodes implements AuthProvider {
        final Set<String> enrolledUsers = new java.util.concurrent.CopyOnWriteArraySet<>();

        @Override
        public String method() {
            return "totp";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.ONE_TIME_CODE);
        }

        @Override
        public boolean enrolled(Identity identity) {
            return enrolledUsers.contains(identity.user());
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            if (!request.isFurtherFactor()
                    || !enrolledUsers.contains(request.establishedIdentity().user())) {
                return AuthResult.failure();
            }
            return ((OneTimeCode) request.credential()).code().equals("654321")
                    ? AuthResult.success(
                            Identity.of(request.establishedIdentity().user()))
                    : AuthResult.failure();
        }
    }

    /**
     * Logins approved in a browser (method {@code sso}): pending until {@link #approve} names the user,
     * then erin, whose proof lapses at {@link #validUntil}.
     */
    static final class Approvals implements AuthProvider {
        final AtomicInteger calls = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<String> approvedUser =
                new java.util.concurrent.atomic.AtomicReference<>();
        volatile java.time.Instant validUntil;
        volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        final List<String> references = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String method() {
            return "sso";
        }

        @Override
        public Set<CredentialKind> credentialKinds() {
            return Set.of(CredentialKind.APPROVAL);
        }

        void approve(String user) {
            approvedUser.set(user);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) {
            calls.incrementAndGet();
            dev.wirehaven.api.auth.Approval a = (dev.wirehaven.api.auth.Approval) request.credential();
            references.add(a.reference());
            String user = approvedUser.get();
            if (a.isStart() || user == null) {
                return AuthResult.pending(new dev.wirehaven.api.auth.PendingApproval(
                        "device-code-1",
                        java.net.URI.create("https://idp.example.com/device"),
                        java.net.URI.create("https://idp.example.com/device?user_code=WDJB-MJHT"),
                        "WDJB-MJHT",
                        java.time.Duration.ofSeconds(5),
                        now.plus(java.time.Duration.ofMinutes(10))));
            }
            return AuthResult.success(Identity.of(user, "staff").withValidUntil(validUntil));
        }
    }
}
