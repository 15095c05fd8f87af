package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A main routing table in memory, with the kernel's rules that {@link PeerRoutes} relies on: one
 * route per prefix ({@code ip route add} of a prefix that has one fails with "File exists"), a
 * delete that matches interface and protocol, and the routes of an interface gone with it. Routes of
 * others (an operator's) are put in with {@link #operatorRoute}; {@link #failFor} makes {@code ip}
 * fail for a prefix.
 */
final class MemoryRoutes implements RouteTable {

    /** A route: the interface and the protocol (the server's {@link RouteTable#PROTO} or another). */
    record Route(String dev, int proto) {}

    private final Map<Cidr, Route> routes = new LinkedHashMap<>();
    private final Map<Cidr, String> failures = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();

    @Override
    public synchronized boolean add(String iface, Cidr prefix) throws IOException {
        calls.add("add " + prefix + " dev " + iface);
        failIfAsked(prefix);
        if (routes.containsKey(prefix)) {
            return false;
        }
        routes.put(prefix, new Route(iface, PROTO));
        return true;
    }

    @Override
    public synchronized void remove(String iface, Cidr prefix) throws IOException {
        calls.add("del " + prefix + " dev " + iface);
        failIfAsked(prefix);
        if (new Route(iface, PROTO).equals(routes.get(prefix))) {
            routes.remove(prefix);
        }
    }

    @Override
    public synchronized Set<Cidr> list(String iface) {
        calls.add("list dev " + iface);
        Set<Cidr> ours = new LinkedHashSet<>();
        routes.forEach((prefix, route) -> {
            if (route.equals(new Route(iface, PROTO))) {
                ours.add(prefix);
            }
        });
        return ours;
    }

    /** A route that someone else added, e.g. {@code ip route add 192.168.30.0/24 via 10.0.0.1} (proto boot). */
    synchronized void operatorRoute(String prefix, String dev) {
        routes.put(Cidr.parse(prefix), new Route(dev, 3));
    }

    /** As {@code ip route del <prefix>} by hand. */
    synchronized void deleteByHand(String prefix) {
        routes.remove(Cidr.parse(prefix));
    }

    /** As the kernel does when an interface goes (or is set down): its routes go with it. */
    synchronized void linkGone(String dev) {
        routes.values().removeIf(r -> r.dev().equals(dev));
    }

    /** {@code ip} fails for {@code prefix} with {@code message} until {@link #fixed}. */
    synchronized void failFor(String prefix, String message) {
        failures.put(Cidr.parse(prefix), message);
    }

    synchronized void fixed(String prefix) {
        failures.remove(Cidr.parse(prefix));
    }

    /** The routes now, as {@code prefix dev X proto N}, in the order they were added. */
    synchronized List<String> show() {
        List<String> lines = new ArrayList<>();
        routes.forEach((prefix, route) -> lines.add(prefix + " dev " + route.dev() + " proto " + route.proto()));
        return lines;
    }

    /** What {@code ip} was asked to do that changes something ({@code add}, {@code del}). */
    synchronized List<String> changes() {
        return calls.stream().filter(c -> !c.startsWith("list ")).toList();
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    private void failIfAsked(Cidr prefix) throws IOException {
        String message = failures.get(prefix);
        if (message != null) {
            throw new IOException(message);
        }
    }
}
