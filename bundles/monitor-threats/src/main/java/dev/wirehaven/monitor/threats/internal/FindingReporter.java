package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a detector's finding into what the product promises: a security event for every sink (the
 * audit log, alerting), then the configured response asked of the server's {@link SecurityResponses}.
 * The responses service is optional and dynamic: without the server's responses bundle a finding is
 * still reported, and the record says it was not acted on. The last findings are kept for
 * {@code wirehaven:threats}.
 */
@Component(service = FindingReporter.class)
public final class FindingReporter {

    /** How many findings {@code wirehaven:threats} can show. */
    static final int KEPT = 50;

    static final String NO_RESPONSES = "not acted on: no security responses service (the server's responses bundle)";

    private static final Logger LOG = LoggerFactory.getLogger(FindingReporter.class);

    /** A finding as reported, with what became of its response. */
    record Reported(Instant time, String detector, Severity severity, Finding finding, String outcome) {}

    private final SecurityEvents events;
    private final ArrayDeque<Reported> recent = new ArrayDeque<>();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecurityResponses responses;

    @Activate
    public FindingReporter(@Reference SecurityEvents events) {
        this.events = events;
    }

    /** For tests: with a responses service, or {@code null} for none. */
    FindingReporter(SecurityEvents events, SecurityResponses responses) {
        this.events = events;
        this.responses = responses;
    }

    /**
     * Reports {@code finding} as a security event of the rule's severity, then asks for the rule's
     * response, requested by {@code detector <name>} with the finding's detail as the reason. Never
     * throws: a detector runs on the sink's thread.
     */
    void report(String detector, Finding finding, Rule rule, Instant now) {
        String user = finding.user() == null ? "" : finding.user();
        try {
            events.report(new SecurityEvent(
                    finding.type(),
                    rule.severity(),
                    now,
                    user,
                    Addresses.literal(finding.address()),
                    finding.detail()));
        } catch (RuntimeException e) {
            LOG.warn("The finding of {} was not reported as an event: {}", detector, e.toString());
        }
        String outcome = respond(detector, finding, rule);
        synchronized (recent) {
            recent.addFirst(new Reported(now, detector, rule.severity(), finding, outcome));
            while (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
    }

    private String respond(String detector, Finding finding, Rule rule) {
        SecurityResponses r = responses;
        if (r == null) {
            return NO_RESPONSES;
        }
        String target = finding.targetOf(rule.action());
        if (target == null) {
            // configuration checks the action against the detector's subjects, so this is a bug
            return "not acted on: the finding names no target for " + rule.action();
        }
        try {
            SecurityResponse done = r.apply(new ResponseRequest(
                    rule.action(), target, rule.duration(), finding.detail(), "detector " + detector));
            return rule.action() + " " + target + ": " + done.state()
                    + (done.note().isEmpty() ? "" : " (" + done.note() + ")");
        } catch (RuntimeException e) {
            LOG.warn(
                    "The response {} to {} asked by detector {} failed: {}",
                    rule.action(),
                    target,
                    detector,
                    e.toString());
            return rule.action() + " " + target + ": failed: " + e.getMessage();
        }
    }

    /** The last findings, newest first, at most {@link #KEPT}. */
    List<Reported> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** True while the server's responses service is there. */
    boolean canRespond() {
        return responses != null;
    }

    /** One line of {@code wirehaven:threats}. */
    static String describe(Reported r) {
        Finding f = r.finding();
        return r.time() + "  " + r.severity() + "  " + r.detector() + "  " + f.detail() + "  -> " + r.outcome();
    }
}
