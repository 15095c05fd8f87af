package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Set;

/**
 * What an LDAP error means for a login: the directory refused the user's credential (FAILURE, and
 * the client is not told which part), or the directory could not decide (UNAVAILABLE, so that the
 * server's chain may fall back), with a reason for the operator's log.
 *
 * <p>Only the result of the user's own bind can be a refusal. An error of a search is always
 * UNAVAILABLE: even "invalid credentials" there means the service account's password is wrong,
 * which is the operator's problem, not the user's.
 */
final class DirectoryFailures {

    /**
     * Results of a user's bind that refuse this user or password. Everything else (cannot connect,
     * timeout, server down, busy, unavailable, TLS refused, an unexpected result) is the directory's
     * trouble and answers UNAVAILABLE.
     */
    private static final Set<ResultCode> REFUSALS = Set.of(
            // the password is wrong, or the DN does not exist (most directories do not say which)
            ResultCode.INVALID_CREDENTIALS,
            // the entry has no password, or may not use simple binds
            ResultCode.INAPPROPRIATE_AUTHENTICATION,
            // the DN from the template names no entry, or a typed name makes no valid DN
            ResultCode.NO_SUCH_OBJECT,
            ResultCode.INVALID_DN_SYNTAX,
            // an access rule refuses this account's binds
            ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            // account states that some directories answer with these (locked, expired, must change its password)
            ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.CONSTRAINT_VIOLATION);

    /** At most this much of the directory's message goes into a reason, so that a log line stays a line. */
    private static final int MAX_MESSAGE = 400;

    private DirectoryFailures() {}

    /** True when the result of a user's bind refuses the credential rather than failing to check it. */
    static boolean refusesCredential(LDAPException e) {
        return REFUSALS.contains(e.getResultCode());
    }

    /**
     * The UNAVAILABLE reason: which directory, which step, the result code and the innermost cause
     * (such as "ConnectException: Connection refused" or the TLS handshake's "PKIX path validation
     * failed: ... signature check failed"), which is what the operator must fix; UnboundID wraps it
     * in messages that would push it out of a log line. It holds no password: UnboundID never puts
     * one in a message.
     */
    static String unavailable(LdapDirectory directory, String step, LDAPException e) {
        return "LDAP directory " + directory.describe() + ": " + step + " failed (" + e.getResultCode() + "): "
                + oneLine(innermost(e));
    }

    private static String innermost(LDAPException e) {
        Throwable deepest = e;
        for (Throwable t = e.getCause(); t != null && t != deepest; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t;
            }
        }
        return deepest == e || deepest instanceof LDAPException
                ? deepest.getMessage()
                : deepest.getClass().getSimpleName() + ": " + deepest.getMessage();
    }

    /** Control characters from the server's diagnostic message would break or forge log lines. */
    static String oneLine(String message) {
        if (message == null) {
            return "no message";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
        for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
            char c = message.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (message.length() > MAX_MESSAGE) {
            out.append("...");
        }
        return out.toString().strip();
    }
}
