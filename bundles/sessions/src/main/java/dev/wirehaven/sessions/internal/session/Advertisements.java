package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The subnets a client advertises (site-to-site): each must be a prefix, must not overlap the tunnel
 * pools or another open session's advertisement, and must be allowed by the policy engines (or, with
 * no rule, lie inside {@code routes.advertisable}).
 */
final class Advertisements {

    private final SessionRepository sessions;
    private final SubnetPolicy policy;
    private final Supplier<List<PeerTable.Owned>> staticPrefixes;

    /**
     * @param staticPrefixes the prefixes of peers that no session owns (static peers): no client
     *        may advertise one of them, a part of one, or a network that contains one
     */
    Advertisements(SessionRepository sessions, SubnetPolicy policy, Supplier<List<PeerTable.Owned>> staticPrefixes) {
        this.sessions = sessions;
        this.policy = policy;
        this.staticPrefixes = staticPrefixes;
    }

    /**
     * Runs {@code step} (the check of the advertisements and the saving of the session that makes
     * them) so that no other session's check runs between the two: two sessions advertising the same
     * subnet at once cannot both pass. Steps without advertisements do not wait.
     */
    <T> T atomically(boolean advertises, SessionAccess.Step<T> step) throws FlowException {
        if (!advertises) {
            return step.run();
        }
        synchronized (this) {
            return step.run();
        }
    }

    /** The subnets the client advertises that it may route, or FORBIDDEN for the first that it may not. */
    List<IpPrefix> admit(SessionRecord s, List<String> advertised, SessionSettings c) throws FlowException {
        List<IpPrefix> admitted = new ArrayList<>();
        List<SessionRecord> others = advertised.isEmpty() ? List.of() : sessions.open();
        for (String text : advertised) {
            IpPrefix subnet;
            try {
                subnet = Prefixes.parse(text);
            } catch (IllegalArgumentException e) {
                throw FlowErrors.invalid("allowedIps entry '" + FlowErrors.printable(text) + "' is not an IP prefix");
            }
            for (IpPrefix pool : c.subnets()) {
                if (Prefixes.overlap(pool, subnet)) {
                    throw new FlowException(
                            FlowFailure.FORBIDDEN,
                            "Advertising " + Prefixes.text(subnet) + " is not allowed: it overlaps the tunnel subnet "
                                    + Prefixes.text(pool));
                }
            }
            for (PeerTable.Owned taken : advertised.isEmpty() ? List.<PeerTable.Owned>of() : staticPrefixes.get()) {
                if (Prefixes.overlap(taken.prefix(), subnet)) {
                    throw new FlowException(
                            FlowFailure.FORBIDDEN,
                            "Advertising " + Prefixes.text(subnet) + " is not allowed: it overlaps "
                                    + Prefixes.text(taken.prefix()) + ", which a static peer of the server's interface"
                                    + " routes");
                }
            }
            for (SessionRecord other : others) {
                if (other.id().equals(s.id()) || !SessionAccess.AFTER_CONFIG.contains(other.phase())) {
                    continue;
                }
                for (String theirs : other.advertisedSubnets()) {
                    if (Prefixes.overlap(Prefixes.parse(theirs), subnet)) {
                        throw new FlowException(
                                FlowFailure.FORBIDDEN,
                                "Advertising " + Prefixes.text(subnet) + " is not allowed: it overlaps " + theirs
                                        + ", which another session advertises");
                    }
                }
            }
            policy.check(s.identity(), s.id(), subnet, c.advertisable());
            admitted.add(subnet);
        }
        return admitted;
    }
}
