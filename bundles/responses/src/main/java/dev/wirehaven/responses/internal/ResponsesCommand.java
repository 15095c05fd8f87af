package dev.wirehaven.responses.internal;

import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gogo commands {@code wirehaven:responses} (what is in force and the latest responses, as
 * tables), {@code wirehaven:block <address|prefix> <duration> [reason]},
 * {@code wirehaven:disable <user> <duration> [reason]} and {@code wirehaven:undo <id>}. Like the other
 * {@code wirehaven:} commands they return text that the shell prints; a wrong argument is answered,
 * not thrown.
 */
@Component(
        service = ResponsesCommand.class,
        property = {
            "osgi.command.scope=wirehaven",
            "osgi.command.function=responses",
            "osgi.command.function=block",
            "osgi.command.function=disable",
            "osgi.command.function=undo"
        })
public final class ResponsesCommand {

    /** How many of the latest responses {@code wirehaven:responses} lists below those in force. */
    static final int RECENT_SHOWN = 20;

    private final SecurityResponses responses;
    private final Clock clock;

    @Activate
    public ResponsesCommand(@Reference SecurityResponses responses) {
        this(responses, Clock.systemUTC());
    }

    ResponsesCommand(SecurityResponses responses, Clock clock) {
        this.responses = responses;
        this.clock = clock;
    }

    /** The responses in force, then the latest ones of every state. */
    public String responses() {
        Instant now = clock.instant();
        List<SecurityResponse> active = responses.active();
        StringBuilder out = new StringBuilder();
        out.append(active.isEmpty() ? "No response in force\n" : "In force:\n" + table(active, now));
        List<SecurityResponse> recent = responses.recent(RECENT_SHOWN);
        out.append(recent.isEmpty() ? "No responses yet\n" : "\nLatest " + recent.size() + ":\n" + table(recent, now));
        return out.toString();
    }

    /** Blocks a source for a duration such as 15m, 2h or 1d. */
    public String block(String source, String duration) {
        return block(source, duration, "blocked by an operator");
    }

    /** As {@link #block(String, String)}, with the reason the audit log shows. */
    public String block(String source, String duration, String reason) {
        return lasting(ResponseAction.BLOCK_SOURCE, source, duration, reason, "an operator (wirehaven:block)");
    }

    /** Disables a user for a duration: open sessions revoked, logins refused. */
    public String disable(String user, String duration) {
        return disable(user, duration, "disabled by an operator");
    }

    /** As {@link #disable(String, String)}, with the reason the audit log shows. */
    public String disable(String user, String duration, String reason) {
        return lasting(ResponseAction.DISABLE_USER, user, duration, reason, "an operator (wirehaven:disable)");
    }

    /** Ends a response in force now. */
    public String undo(String id) {
        Optional<SecurityResponse> undone = responses.undo(id, "an operator (wirehaven:undo)");
        if (undone.isEmpty()) {
            return "No response in force has id " + Text.printable(id) + "\n";
        }
        SecurityResponse r = undone.get();
        return "Response " + r.id() + " undone: " + r.action() + " " + Text.printable(r.target())
                + " is no longer in force\n";
    }

    private String lasting(ResponseAction action, String target, String duration, String reason, String by) {
        Duration d;
        ResponseRequest request;
        try {
            d = Durations.parse(duration);
            request = new ResponseRequest(action, target, d, reason.isBlank() ? "(none given)" : reason, by);
            SecurityResponse r = responses.apply(request);
            return switch (r.state()) {
                case ACTIVE ->
                    "Response " + r.id() + ": " + r.action() + " " + Text.printable(r.target())
                            + " in force until " + r.expires().truncatedTo(ChronoUnit.SECONDS)
                            + (r.note().isEmpty() ? "" : " (" + Text.printable(r.note()) + ")") + "\n";
                default -> "Refused: " + Text.printable(r.note()) + "\n";
            };
        } catch (IllegalArgumentException e) {
            return "Not done: " + e.getMessage() + "\n";
        }
    }

    private static String table(List<SecurityResponse> rows, Instant now) {
        StringBuilder out = new StringBuilder(String.format(
                "%-12s %-16s %-28s %-8s %-20s %-9s %-32s %s%n",
                "ID", "ACTION", "TARGET", "STATE", "STARTED", "LEFT", "REQUESTED BY", "REASON / NOTE"));
        for (SecurityResponse r : rows) {
            String left = r.isActive() && r.expires().isAfter(now)
                    ? Durations.format(Duration.between(now, r.expires()).truncatedTo(ChronoUnit.SECONDS))
                    : "-";
            String why = r.reason() + (r.note().isEmpty() ? "" : " / " + r.note());
            out.append(String.format(
                    "%-12s %-16s %-28s %-8s %-20s %-9s %-32s %s%n",
                    r.id(),
                    r.action(),
                    Text.cut(Text.printable(r.target()), 28),
                    r.state(),
                    r.started().truncatedTo(ChronoUnit.SECONDS),
                    left,
                    Text.cut(Text.printable(r.requestedBy()), 32),
                    Text.cut(Text.printable(why), 80)));
        }
        return out.toString();
    }
}
