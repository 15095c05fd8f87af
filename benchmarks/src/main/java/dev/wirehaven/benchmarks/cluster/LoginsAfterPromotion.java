package dev.wirehaven.benchmarks.cluster;

import static dev.wirehaven.benchmarks.cluster.PrimaryPromotion.ms;

import dev.wirehaven.benchmarks.sessions.LoadBatch;
import dev.wirehaven.benchmarks.sessions.LoadBatch.Client;
import dev.wirehaven.benchmarks.sessions.LoadCredentials;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.WirehavenClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * New clients' logins through the first node after the promotion ({@link PrimaryPromotion}): one fresh
 * client after another until one works, and what the others got.
 */
final class LoginsAfterPromotion {

    /** Between two login attempts after one failed (the server answers 503 while the store is away). */
    private static final long LOGIN_RETRY_MILLIS = 150;

    private final ClusterSettings settings;

    LoginsAfterPromotion(ClusterSettings settings) {
        this.settings = settings;
    }

    /** The logins of new clients after the promotion: the first that worked, and what the others got. */
    static final class Attempts {
        int attempts;
        long succeededAt = -1;
        long startedAt = -1;
        /** From the start of the attempt that worked to its 'Authenticated as' event, -1 if none was heard. */
        long authenticatedAfter = -1;

        Connection connection;
        final Map<String, Integer> failures = new LinkedHashMap<>();
        long firstFailureAt = -1;
        long lastFailureAt = -1;

        String report(long promotedAt, long crashAt) {
            String failed = failures.isEmpty()
                    ? "none failed"
                    : String.format(
                            Locale.ROOT,
                            "%d failed from +%d to +%d ms: %s",
                            failures.values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum(),
                            ms(firstFailureAt - promotedAt),
                            ms(lastFailureAt - promotedAt),
                            failures);
            if (succeededAt < 0) {
                return String.format(
                        Locale.ROOT,
                        "  a new client's login through the first node: NONE worked within the wait (%d attempts;"
                                + " %s)   [goal <= %d ms after the promotion: missed]",
                        attempts,
                        failed,
                        PrimaryPromotion.GOAL_LOGIN_MILLIS);
            }
            long after = ms(succeededAt - promotedAt);
            return String.format(
                    Locale.ROOT,
                    "  a new client's whole login through the first node (connect() to ACTIVE) worked %d ms after pg_ctl"
                            + " promote returned, %d ms after the crash (attempt %d, started at +%d ms, took %d ms,"
                            + " 'Authenticated as' after %d ms of it; %s)   [goal <= %d ms after the promotion: %s]",
                    after,
                    ms(succeededAt - crashAt),
                    attempts,
                    ms(startedAt - promotedAt),
                    ms(succeededAt - startedAt),
                    authenticatedAfter,
                    failed,
                    PrimaryPromotion.GOAL_LOGIN_MILLIS,
                    after <= PrimaryPromotion.GOAL_LOGIN_MILLIS ? "met" : "missed");
        }

        void close() {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /**
     * Logs a new client in through the first node again and again, {@value #LOGIN_RETRY_MILLIS} ms after
     * each failure (while the store is away the server answers 503, which the SDK reports as a refusal),
     * until one works or --login-wait has passed. Each attempt is a fresh client: its own key and device
     * name, so that its rows are told apart from the load clients'.
     */
    Attempts until(WirehavenClient server, long promotedAt) throws InterruptedException {
        Attempts a = new Attempts();
        long deadline = promotedAt + settings.loginWait().toNanos();
        while (System.nanoTime() < deadline) {
            a.attempts++;
            LoadBatch one = LoadBatch.prepare(PrimaryPromotion.LOGIN_DEVICES + a.attempts, 1);
            ClientEvents heard = new ClientEvents();
            one.clients().get(0).listeners.add(heard);
            long started = System.nanoTime();
            one.connect(server, settings.user(), LoadCredentials.token(settings.token()), Duration.ZERO, 1);
            long ended = System.nanoTime();
            Client c = one.clients().get(0);
            if (c.connection != null) {
                a.succeededAt = ended;
                a.startedAt = started;
                a.connection = c.connection;
                ClientEvents.Heard authenticated = heard.first(ClientEvents.AUTHENTICATED, started);
                a.authenticatedAfter = authenticated == null ? -1 : ms(authenticated.nanos() - started);
                System.out.printf(
                        Locale.ROOT,
                        "  a new client logged in through the first node %d ms after the promotion (attempt %d, %d ms)%n",
                        ms(ended - promotedAt),
                        a.attempts,
                        ms(ended - started));
                for (ClientEvents.Heard h : heard.since(started)) {
                    System.out.printf(Locale.ROOT, "      +%5d ms %s%n", ms(h.nanos() - started), h.event());
                }
                return a;
            }
            String why = c.failure == null ? "no connection, no failure" : c.failure;
            why = why.length() > 160 ? why.substring(0, 160) + "..." : why;
            a.failures.merge(why.replaceAll("[0-9a-f]{8,}", "…"), 1, Integer::sum);
            if (a.firstFailureAt < 0) {
                a.firstFailureAt = ended;
            }
            a.lastFailureAt = ended;
            System.out.printf(
                    Locale.ROOT, "  login attempt %d at +%d ms failed: %s%n", a.attempts, ms(ended - promotedAt), why);
            Thread.sleep(LOGIN_RETRY_MILLIS);
        }
        return a;
    }
}
