package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.SocketFactory;

/**
 * The connections to one directory: its servers in failover order, TLS, the timeouts, the pool of
 * search connections and the short-lived connections on which users' passwords are checked.
 *
 * <p>Two kinds of connection, so that a user's bind never changes who searches: the pool's
 * connections are bound as the service account (or anonymous) and only search; a user's password
 * is checked by a bind on a connection of its own, closed after the login. Such a connection costs
 * a TCP (and TLS) handshake per login, which logins can afford; a bind on a pooled connection would
 * leave it bound as the user, and reverting it takes a second bind that can fail on its own.
 *
 * <p>Nothing connects while the configuration is activated: the pool opens connections on first
 * use and again whenever the directory comes back, so that a directory that is down at the server's
 * start only makes logins UNAVAILABLE until it returns.
 */
final class LdapDirectory implements AutoCloseable {

    /** Pool connections to a later server are replaced after this long, so that the first server is used again. */
    static final Duration FAILBACK_AFTER = Duration.ofMinutes(15);

    private static final int MAX_TIMEOUT_MILLIS = 300_000;
    private static final int MAX_POOL_SIZE = 100;

    private final List<DirectoryServer> servers;
    private final boolean startTls;
    private final ServerSet serverSet;
    private final ServiceAccount account;
    private final LDAPConnectionPool searchPool;

    LdapDirectory(
            List<DirectoryServer> servers,
            boolean startTls,
            DirectoryTls tls,
            ServiceAccount account,
            int connectTimeoutMillis,
            int responseTimeoutMillis,
            int poolSize,
            String name) {
        this.servers = List.copyOf(servers);
        this.startTls = startTls;
        this.account = account;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        // the connect timeout also bounds the TLS handshake of ldaps:// and the StartTLS request
        options.setConnectTimeoutMillis(connectTimeoutMillis);
        options.setResponseTimeoutMillis(responseTimeoutMillis);
        options.setAbandonOnTimeout(true);
        options.setSSLSocketVerifier(DirectoryTls.hostNameVerifier());
        // a referral would send the search (and the service account's bind) to a server the operator did not name
        options.setFollowReferrals(false);
        // a DN without a password is an unauthenticated bind that succeeds: UnboundID refuses to send it
        options.setBindWithDNRequiresPassword(true);
        this.serverSet = serverSet(this.servers, startTls, tls, options, connectTimeoutMillis);
        try {
            // no initial connections: nothing is contacted until the first login
            this.searchPool = new LDAPConnectionPool(
                    serverSet, account == null ? null : account.bindRequest(), 0, poolSize, null, false);
        } catch (LDAPException e) {
            throw new IllegalStateException(
                    "a pool without initial connections failed to connect: " + e.getMessage(), e);
        }
        searchPool.setConnectionPoolName("wirehaven-auth-ldap " + name);
        // a pooled connection that the directory closed (a restart, an idle timeout) is replaced and the search retried
        searchPool.setRetryFailedOperationsDueToInvalidConnections(true);
    }

    /**
     * The directory of {@code c}'s keys {@code urls}, {@code startTls}, {@code caFile}, {@code bindDn},
     * {@code bindPasswordFile}, the timeouts and {@code poolSize}.
     *
     * @throws LdapConfigurationException naming the key of a value that cannot work
     */
    static LdapDirectory from(LdapConfiguration c, String name) {
        if (c.urls() == null || c.urls().length == 0) {
            throw new LdapConfigurationException("urls", "is empty: give at least one ldap:// or ldaps:// URL");
        }
        List<DirectoryServer> servers = new ArrayList<>();
        for (String url : c.urls()) {
            servers.add(DirectoryServer.parse(url));
        }
        if (c.startTls() && servers.stream().anyMatch(DirectoryServer::ldaps)) {
            throw new LdapConfigurationException(
                    "startTls", "is set, but ldaps:// connections are encrypted already: use ldap:// URLs with it");
        }
        int connect = within("connectTimeoutMillis", c.connectTimeoutMillis(), 1, MAX_TIMEOUT_MILLIS);
        int response = within("responseTimeoutMillis", c.responseTimeoutMillis(), 1, MAX_TIMEOUT_MILLIS);
        int pool = within("poolSize", c.poolSize(), 1, MAX_POOL_SIZE);
        DirectoryTls tls = DirectoryTls.trusting(
                c.caFile().isBlank() ? null : Path.of(c.caFile().strip()));
        ServiceAccount account = ServiceAccount.from(c.bindDn(), c.bindPasswordFile());
        return new LdapDirectory(servers, c.startTls(), tls, account, connect, response, pool, name);
    }

    private static int within(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new LdapConfigurationException(key, "is " + value + ", not between " + min + " and " + max);
        }
        return value;
    }

    private static ServerSet serverSet(
            List<DirectoryServer> servers,
            boolean startTls,
            DirectoryTls tls,
            LDAPConnectionOptions options,
            int connectTimeoutMillis) {
        SocketFactory ldaps = new BoundedHandshakeSocketFactory(tls.socketFactory(), connectTimeoutMillis);
        List<ServerSet> sets = new ArrayList<>();
        for (DirectoryServer server : servers) {
            SocketFactory sockets = server.ldaps() ? ldaps : SocketFactory.getDefault();
            PostConnectProcessor upgrade = startTls ? new StartTLSPostConnectProcessor(tls.socketFactory()) : null;
            sets.add(new SingleServerSet(server.host(), server.port(), sockets, options, null, upgrade));
        }
        FailoverServerSet failover = new FailoverServerSet(sets);
        failover.setMaxFailoverConnectionAgeMillis(FAILBACK_AFTER.toMillis());
        return failover;
    }

    /** Where searches run: the pool, bound as the service account or anonymous. */
    LDAPInterface searches() {
        return searchPool;
    }

    /** True when searches run as a service account rather than anonymously. */
    boolean hasServiceAccount() {
        return account != null;
    }

    /**
     * Checks a user's password: a simple bind as {@code dn} on a new connection (to the first server
     * that answers). The password is sent as UTF-8 and the bytes are wiped afterwards.
     *
     * @return the connection, bound as the user; the caller closes it
     * @throws LDAPException when no server can be reached or the bind fails; the result code says which
     */
    LDAPConnection bindAs(DN dn, char[] password) throws LDAPException {
        byte[] bytes = utf8(password);
        try {
            LDAPConnection connection = serverSet.getConnection();
            try {
                connection.bind(new SimpleBindRequest(dn, bytes));
                return connection;
            } catch (LDAPException e) {
                connection.close();
                throw e;
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /** True when every connection is encrypted (ldaps:// or StartTLS), so passwords never cross in clear text. */
    boolean encrypted() {
        return startTls || servers.stream().allMatch(DirectoryServer::ldaps);
    }

    /** The servers as the operator wrote them, for log lines and UNAVAILABLE reasons. */
    String describe() {
        return servers.stream().map(DirectoryServer::toString).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        searchPool.close();
        if (account != null) {
            account.close();
        }
    }
}
