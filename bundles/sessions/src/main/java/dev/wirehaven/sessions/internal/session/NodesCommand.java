package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.internal.store.NodeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;

/**
 * The gogo commands of the gateway nodes that share the store: {@code wirehaven:nodes} (each node, its
 * state, where clients reach it, its load and how long ago it beat), {@code wirehaven:drain} (take
 * this node out of service for an upgrade: its clients move to other nodes without a new login) and
 * {@code wirehaven:undrain} (put it back). Registered by the session component while the session layer
 * runs, since they act on it.
 */
public final class NodesCommand {

    private final SessionRuntime runtime;
    private final Clock clock;

    NodesCommand(SessionRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    /** The service properties that make gogo offer the commands. */
    static Hashtable<String, Object> commandProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "wirehaven");
        properties.put("osgi.command.function", new String[] {"nodes", "drain", "undrain"});
        return properties;
    }

    /** The nodes of the store as a table, this one marked with {@code *}. */
    public String nodes() {
        List<NodeRecord> all = runtime.membership().all();
        if (all.isEmpty()) {
            return "No gateway node has written a heartbeat yet\n";
        }
        Instant now = clock.instant();
        StringBuilder out = new StringBuilder(String.format(
                "  %-20s %-9s %-28s %9s %5s %9s%n", "NODE", "STATE", "ENDPOINT", "SESSIONS", "CPU", "HEARTBEAT"));
        for (NodeRecord n : all) {
            Duration age = Duration.between(n.heartbeatAt(), now);
            boolean alive = age.compareTo(NodeMembership.ALIVE) <= 0;
            out.append(String.format(
                    "%s %-20s %-9s %-28s %9s %4d%% %9s%n",
                    n.name().equals(runtime.membership().name()) ? "*" : " ",
                    SessionTable.printable(n.name()),
                    alive ? n.state().name() : "GONE",
                    n.endpoint() == null ? "-" : SessionTable.printable(n.endpoint()),
                    n.openSessions() + "/" + n.capacity(),
                    Math.round(n.cpuLoad() * 100),
                    Durations.format(age.isNegative() ? Duration.ZERO : age) + " ago"));
        }
        return out.toString();
    }

    /** Drains this node; says how many clients were sent on. */
    public String drain() {
        int moved = runtime.drain();
        return "Node " + runtime.membership().name() + " drained: no new sessions; " + moved
                + " session peers taken off, their clients move to other nodes without a new login\n";
    }

    /** Puts this node back in service. */
    public String undrain() {
        int back = runtime.undrain();
        return "Node " + runtime.membership().name() + " in service again: it takes new sessions and holds " + back
                + " more session peers\n";
    }
}
