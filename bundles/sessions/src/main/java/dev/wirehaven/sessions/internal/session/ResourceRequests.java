package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.sessions.internal.access.Grant;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's "Secure Data Transfer" for one resource (UC2): the client asks for a destination and
 * port; every policy engine decides ({@link PolicyEngine#decide}) and the verdicts combine as
 * {@link dev.wirehaven.api.policy.Verdict} says; a resource behind a step-up needs a further factor
 * passed within {@link #STEP_UP_FRESHNESS}; a granted resource opens in the data plane at once and
 * closes when the grant lapses ({@code access.grant.lifetime}, never past the session).
 */
final class ResourceRequests {

    /** How recent a step-up must be to open a resource that asks for one. */
    static final Duration STEP_UP_FRESHNESS = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(ResourceRequests.class);

    private final Supplier<SessionSettings> settings;
    private final SessionAccess access;
    private final Supplier<List<BoundPlugin<PolicyEngine>>> engines;
    private final TrafficEnforcement enforcement;
    private final StepUps stepUps;
    private final AuthChain chain;
    private final FlowEvents events;

    ResourceRequests(
            Supplier<SessionSettings> settings,
            SessionAccess access,
            Supplier<List<BoundPlugin<PolicyEngine>>> engines,
            TrafficEnforcement enforcement,
            StepUps stepUps,
            AuthChain chain,
            FlowEvents events) {
        this.settings = settings;
        this.access = access;
        this.engines = engines;
        this.enforcement = enforcement;
        this.stepUps = stepUps;
        this.chain = chain;
        this.events = events;
    }

    ResourceGrant request(String sessionId, String token, ResourceRequest request) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_CONFIG, "ask for a resource");
            Protocol protocol = Protocol.valueOf(request.protocol().toUpperCase(Locale.ROOT));
            InetAddress destination = literal(request.destination());
            String what = request.protocol() + " " + formatted(destination, request.port());
            Decided d = decide(new ResourceAccess(s.identity(), s.id(), protocol, destination, request.port()));
            Instant now = access.now();
            switch (d.verdict()) {
                case DENY -> throw denied(s, what, d.reason());
                case STEP_UP -> {
                    if (!steppedUpWith(s.identity(), d.methods(), now)) {
                        stepUps.ask(sessionId, d.methods(), what + ": " + d.reason());
                        throw FlowException.stepUpRequired(
                                "Access to " + what + " needs one more factor (" + String.join(", ", d.methods())
                                        + "): " + d.reason(),
                                d.methods(),
                                chain.prompts(d.methods()));
                    }
                }
                case ALLOW -> {
                    // the engines' traffic rules already open it; the grant says for how long it is promised
                }
            }
            Instant until = now.plus(settings.get().access().grantLifetime());
            if (s.expiresAt().isBefore(until)) {
                until = s.expiresAt();
            }
            enforcement.grant(sessionId, new Grant(protocol, destination, request.port(), until));
            events.step(s, s.phase(), "resource granted: " + what + " until " + until + " (" + d.reason() + ")");
            return new ResourceGrant(
                    request.protocol(), destination.getHostAddress(), request.port(), until, d.reason());
        });
    }

    /** The combined decision: any deny denies; then a step-up; then an allow; no rule at all denies. */
    private Decided decide(ResourceAccess request) {
        Decided stepUp = null;
        Decided allow = null;
        for (BoundPlugin<PolicyEngine> engine : engines.get()) {
            Decision d;
            try {
                d = engine.service().decide(request);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Policy engine {} threw {}; counted as DENY", engine.describe(), e.toString());
                return new Decided(dev.wirehaven.api.policy.Verdict.DENY, "the policy engine failed", List.of());
            }
            if (d == null) {
                return new Decided(dev.wirehaven.api.policy.Verdict.DENY, "the policy engine failed", List.of());
            }
            String reason = d.reason() + " (policy " + engine.name() + ")";
            switch (d.verdict()) {
                case DENY -> {
                    return new Decided(d.verdict(), reason, List.of());
                }
                case STEP_UP -> stepUp = stepUp == null ? new Decided(d.verdict(), reason, d.stepUpMethods()) : stepUp;
                case ALLOW -> allow = allow == null ? new Decided(d.verdict(), reason, List.of()) : allow;
                case NOT_APPLICABLE -> {
                    // left to the other engines
                }
            }
        }
        if (stepUp != null) {
            return stepUp;
        }
        if (allow != null) {
            return allow;
        }
        return new Decided(dev.wirehaven.api.policy.Verdict.DENY, "no policy allows it", List.of());
    }

    private FlowException denied(SessionRecord s, String what, String reason) {
        events.security(
                SecurityEvent.ACCESS_DENIED,
                Severity.LOW,
                s.user(),
                null,
                s.id(),
                "resource request refused: " + what + ": " + reason);
        return new FlowException(FlowFailure.FORBIDDEN, "Access to " + what + " is not allowed: " + reason);
    }

    /** Whether the session's last step-up used one of {@code methods} and is recent enough. */
    static boolean steppedUpWith(Identity identity, List<String> methods, Instant now) {
        String recorded = identity.attributes().get(Logins.STEP_UP_ATTRIBUTE);
        if (recorded == null) {
            return false;
        }
        int space = recorded.indexOf(' ');
        if (space < 0) {
            return false;
        }
        try {
            Instant at = Instant.parse(recorded.substring(space + 1));
            return methods.contains(recorded.substring(0, space)) && !now.isAfter(at.plus(STEP_UP_FRESHNESS));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static InetAddress literal(String text) throws FlowException {
        try {
            return IpPrefix.parse(text).address(); // literals only: no name is ever looked up
        } catch (IllegalArgumentException e) {
            throw FlowErrors.invalid("destination is not a literal IP address");
        }
    }

    private static String formatted(InetAddress a, int port) {
        String host = a.getHostAddress();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return port == 0 ? shown : shown + ":" + port;
    }

    private record Decided(dev.wirehaven.api.policy.Verdict verdict, String reason, List<String> methods) {}
}
