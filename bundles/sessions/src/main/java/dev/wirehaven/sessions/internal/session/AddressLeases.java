package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.sessions.internal.ipam.AddressPool;
import dev.wirehaven.sessions.internal.store.Lease;
import dev.wirehaven.sessions.internal.store.LeaseRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.TunnelAddresses;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel addresses of sessions: one {@link AddressPool} for the IPv4 subnet and one for the
 * optional IPv6 subnet. A session gets one address from each, stable per user and device.
 */
final class AddressLeases {

    private static final Logger LOG = LoggerFactory.getLogger(AddressLeases.class);
    /** Room left in the 128-character device column for the suffix that separates twin devices. */
    private static final int DEVICE_PREFIX = 100;

    private final AddressPool v4;
    private final AddressPool v6;
    private final LeaseRepository leases;
    private final Clock clock;

    /**
     * @param reserved the prefixes of peers that no session owns (static peers), never leased
     * @param interfaceAddresses the interface's own addresses: the one inside each subnet is the
     *        server's and never leased (without one, the subnet's first host is kept for the server)
     */
    AddressLeases(
            SessionSettings settings,
            List<InetAddress> interfaceAddresses,
            String interfaceName,
            LeaseRepository leases,
            Clock clock,
            Supplier<List<IpPrefix>> reserved) {
        this.leases = leases;
        this.clock = clock;
        this.v4 = new AddressPool(
                settings.subnetV4(),
                serverAddress(settings.subnetV4(), interfaceAddresses, interfaceName),
                leases,
                clock,
                reserved);
        this.v6 = settings.subnetV6() == null
                ? null
                : new AddressPool(
                        settings.subnetV6(),
                        serverAddress(settings.subnetV6(), interfaceAddresses, interfaceName),
                        leases,
                        clock,
                        reserved);
    }

    /**
     * Leases the session's addresses.
     *
     * @param openSession whether a session id belongs to an open session, to tell two devices apart
     *        that share a user and a device name
     * @throws dev.wirehaven.sessions.internal.ipam.PoolExhaustedException when a pool is full
     */
    TunnelAddresses lease(SessionRecord s, Predicate<String> openSession) {
        String device = deviceKey(s, openSession);
        InetAddress requested = s.requestedAddress() == null
                ? null
                : Prefixes.parse(s.requestedAddress()).address();
        InetAddress a4 = v4.lease(s.user(), device, s.id(), requested);
        InetAddress a6 = null;
        if (v6 != null) {
            try {
                a6 = v6.lease(s.user(), device, s.id(), requested);
            } catch (RuntimeException e) {
                v4.release(a4);
                throw e;
            }
        }
        return new TunnelAddresses(
                a4.getHostAddress(),
                v4.subnet().toString(),
                a6 == null ? null : a6.getHostAddress(),
                v6 == null ? null : v6.subnet().toString());
    }

    /** Releases the addresses in the pools that granted them (which may no longer be configured). */
    void release(TunnelAddresses addresses) {
        if (addresses.v4() != null) {
            leases.release(addresses.poolV4(), addresses.v4(), clock.instant());
        }
        if (addresses.v6() != null) {
            leases.release(addresses.poolV6(), addresses.v6(), clock.instant());
        }
    }

    /** Releases the active leases of the configured pools whose sessions ended (a crash between the steps). */
    int releaseOrphans(Set<String> openSessionIds) {
        int released = 0;
        for (AddressPool pool : v6 == null ? List.of(v4) : List.of(v4, v6)) {
            for (Lease lease : pool.activeLeases()) {
                if (lease.sessionId() == null || !openSessionIds.contains(lease.sessionId())) {
                    if (leases.release(lease.pool(), lease.address(), clock.instant())) {
                        released++;
                    }
                }
            }
        }
        return released;
    }

    /**
     * The device under which the session's lease is kept: its device name, unless that user's device of
     * the same name holds its address for another open session right now (two laptops both called
     * "laptop", or a client without a name); then the name with a tag of the client key, so that the two
     * never share an address and each stays stable.
     */
    private String deviceKey(SessionRecord s, Predicate<String> openSession) {
        String device = s.deviceName();
        Optional<Lease> held = leases.heldBy(v4.subnet().toString(), s.user(), device);
        boolean busy = held.isPresent()
                && held.get().active()
                && held.get().sessionId() != null
                && !held.get().sessionId().equals(s.id())
                && openSession.test(held.get().sessionId());
        if (!busy) {
            return device;
        }
        String tag = s.clientPublicKey().replaceAll("[^A-Za-z0-9]", "");
        String base = device.length() > DEVICE_PREFIX ? device.substring(0, DEVICE_PREFIX) : device;
        return base + "#" + tag.substring(0, Math.min(12, tag.length()));
    }

    private static InetAddress serverAddress(IpPrefix subnet, List<InetAddress> interfaceAddresses, String iface) {
        for (InetAddress a : interfaceAddresses) {
            if (subnet.contains(a)) {
                return a;
            }
        }
        byte[] first = subnet.address().getAddress();
        first[first.length - 1] |= 1;
        InetAddress assumed = IpPrefix.host(toAddress(first)).address();
        LOG.warn(
                "Interface {} has no address in the session subnet {}: {} is kept for the server, but clients reach"
                        + " the server's tunnel side only when the interface has it; add {}/{} to the interface's addresses",
                iface,
                subnet,
                assumed.getHostAddress(),
                assumed.getHostAddress(),
                subnet.prefixLength());
        return assumed;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
