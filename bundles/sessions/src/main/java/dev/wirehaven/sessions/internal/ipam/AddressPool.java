package dev.wirehaven.sessions.internal.ipam;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.sessions.internal.store.Lease;
import dev.wirehaven.sessions.internal.store.LeaseRepository;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tunnel addresses of one subnet (IPv4 or IPv6), leased to devices.
 *
 * <ul>
 * <li>Never leased: the network address (for IPv6 the Subnet-Router anycast address, RFC 4291
 *     2.6.1), the IPv4 broadcast address, the 128 reserved subnet anycast addresses of an IPv6
 *     subnet (RFC 2526: in a /64 the identifiers fdff:ffff:ffff:ff80 to fdff:ffff:ffff:ffff, in
 *     other subnets the highest 128), the server's own address, and the addresses of peers that no
 *     session owns (static peers of the interface): see {@link #AddressPool(IpPrefix, InetAddress,
 *     LeaseRepository, Clock, Supplier)}.</li>
 * <li>Stable: a user's device gets back the address it had, active or released, as long as no
 *     other device took it over. A released address goes to another device only when the pool has
 *     no never-used address left, and then the one released longest ago goes first.</li>
 * <li>Addresses are handed out in ascending order from the bottom of the subnet, with a cursor so
 *     that a search is short even in a /64: the leased addresses stay compact, easy to read in
 *     {@code wg show} and to cover with firewall rules, and the address itself tells nothing
 *     about the user (the lease table does).</li>
 * <li>No double assignment: one pool serialises its own callers, and the lease table's keys
 *     decide between pools over the same database (another server, or this one after a restart).
 *     A lost race makes the pool re-read the table and try the next address.</li>
 * </ul>
 */
public final class AddressPool {

    private static final BigInteger RFC2526_RESERVED = BigInteger.valueOf(128);
    private static final BigInteger EUI64_ANYCAST_START = new BigInteger("fdffffffffffff80", 16);

    private final IpPrefix subnet;
    private final String name;
    private final BigInteger network;
    private final BigInteger first;
    private final BigInteger last;
    private final BigInteger server;
    private final BigInteger usable;
    private final BigInteger anycastHole;
    private final int addressLength;
    private final LeaseRepository leases;
    private final Clock clock;
    private final Supplier<List<IpPrefix>> reserved;

    /** Offsets of every address that has a row in the table (active or released). */
    private final Set<BigInteger> recorded = new HashSet<>();

    private BigInteger cursor;

    /**
     * @param subnet the pool's subnet; IPv4 up to /30, IPv6 up to /126
     * @param serverAddress the server's tunnel address inside the subnet, never leased
     * @param leases where leases are kept; existing leases of this subnet are honoured
     * @throws IllegalArgumentException when the subnet is too small or the server address is not a host in it
     */
    public AddressPool(IpPrefix subnet, InetAddress serverAddress, LeaseRepository leases, Clock clock) {
        this(subnet, serverAddress, leases, clock, List::of);
    }

    /**
     * A pool that also never leases an address inside {@code reserved}: the prefixes that belong to
     * someone else (static peers). Asked at every lease, because the interface's peers change while
     * the server runs; a device whose own address became reserved gets another one.
     */
    public AddressPool(
            IpPrefix subnet,
            InetAddress serverAddress,
            LeaseRepository leases,
            Clock clock,
            Supplier<List<IpPrefix>> reserved) {
        this.reserved = reserved;
        this.subnet = subnet;
        this.name = subnet.toString();
        this.addressLength = subnet.address().getAddress().length;
        int hostBits = addressLength * 8 - subnet.prefixLength();
        if (hostBits < 2) {
            throw new IllegalArgumentException("the pool " + name + " is too small: it needs at least 2 host bits "
                    + "(a /30 for IPv4, a /126 for IPv6)");
        }
        this.network = toNumber(subnet.address());
        BigInteger size = BigInteger.ONE.shiftLeft(hostBits);
        this.first = BigInteger.ONE;
        boolean v4 = subnet.isIpv4();
        BigInteger top = size.subtract(BigInteger.ONE);
        if (v4) {
            top = top.subtract(BigInteger.ONE); // the broadcast address
        } else if (hostBits != 64 && hostBits >= 8) {
            top = top.subtract(RFC2526_RESERVED);
        }
        this.last = top;
        // in a /64 (EUI-64 format interface identifiers) RFC 2526's range lies below the top, with the u/l bit clear
        this.anycastHole = !v4 && hostBits == 64 ? EUI64_ANYCAST_START : null;
        if (!subnet.contains(serverAddress)) {
            throw new IllegalArgumentException(
                    "the server address " + serverAddress.getHostAddress() + " is not inside the pool " + name);
        }
        this.server = toNumber(serverAddress).subtract(network);
        if (server.compareTo(first) < 0 || server.compareTo(size.subtract(BigInteger.ONE)) >= 0 && v4) {
            throw new IllegalArgumentException("the server address " + serverAddress.getHostAddress()
                    + " is the network or broadcast address of " + name);
        }
        boolean serverInRange = server.compareTo(first) >= 0 && server.compareTo(last) <= 0;
        boolean serverInHole = anycastHole != null && inAnycastHole(server);
        this.usable = last.subtract(first)
                .add(BigInteger.ONE)
                .subtract(anycastHole == null ? BigInteger.ZERO : RFC2526_RESERVED)
                .subtract(serverInRange && !serverInHole ? BigInteger.ONE : BigInteger.ZERO);
        this.leases = leases;
        this.clock = clock;
        this.cursor = first;
        reload();
    }

    /** The pool's subnet. */
    public IpPrefix subnet() {
        return subnet;
    }

    /** How many addresses the pool can lease at most. */
    public BigInteger capacity() {
        return usable;
    }

    /**
     * The address for this user's device: the one it had before if it is still its own, else a new one.
     *
     * @param sessionId the session that will use it
     * @throws PoolExhaustedException when every leasable address is in active use
     */
    public synchronized InetAddress lease(String user, String device, String sessionId) {
        List<Range> taken = reservedRanges();
        while (true) {
            Optional<Lease> own = leases.heldBy(name, user, device);
            if (own.isPresent() && isReserved(offsetOf(own.get().address()), taken)) {
                // the device's address went to a static peer: the device gives it up and gets another
                leases.forget(name, own.get().address(), user, device);
                reload();
                continue;
            }
            if (own.isPresent()) {
                if (leases.renew(name, own.get().address(), user, device, sessionId, clock.instant())) {
                    return parse(own.get().address());
                }
                // another pool took it over between the read and the renew: look again
                continue;
            }
            Optional<InetAddress> fresh = leaseUnused(user, device, sessionId, taken);
            if (fresh.isPresent()) {
                return fresh.get();
            }
            Optional<InetAddress> reclaimed = leaseReleased(user, device, sessionId, taken);
            if (reclaimed.isPresent()) {
                return reclaimed.get();
            }
            if (leases.heldBy(name, user, device).isEmpty()) {
                throw new PoolExhaustedException("The address pool " + name + " is exhausted: all " + usable
                        + " addresses are leased to active sessions. Use a larger subnet, or disconnect idle devices.");
            }
            // a second pool gave this device an address meanwhile: the loop renews it
        }
    }

    /**
     * Like {@link #lease(String, String, String)}, but grants {@code requested} (the address a client
     * asks for, such as the one it had on another server) when the device has no address of its own
     * in the pool yet and nobody has ever leased {@code requested}. A device's own address wins over
     * its request, so that the address stays stable per user and device; an address released by
     * another device stays that device's, as it would for any newcomer.
     *
     * @param requested the wished-for address, or null; ignored when outside the pool or not leasable
     */
    public synchronized InetAddress lease(String user, String device, String sessionId, InetAddress requested) {
        if (requested != null && leases.heldBy(name, user, device).isEmpty()) {
            Optional<InetAddress> granted = leaseRequested(user, device, sessionId, requested);
            if (granted.isPresent()) {
                return granted.get();
            }
        }
        return lease(user, device, sessionId);
    }

    /**
     * Releases the address when its session ends; it stays the device's until another one needs it.
     *
     * @return false when the address was not actively leased
     */
    public synchronized boolean release(InetAddress address) {
        if (!subnet.contains(address)) {
            return false;
        }
        return leases.release(name, text(address), clock.instant());
    }

    /** The leases in use now. */
    public List<Lease> activeLeases() {
        return leases.inPool(name).stream().filter(Lease::active).toList();
    }

    private Optional<InetAddress> leaseUnused(String user, String device, String sessionId, List<Range> taken) {
        // a row for the server's own address can only come from an earlier configuration; it is not leasable
        while (BigInteger.valueOf(recorded.size() - (recorded.contains(server) ? 1 : 0))
                        .compareTo(usable)
                < 0) {
            BigInteger offset = nextUnrecorded(taken);
            if (offset == null) {
                return Optional.empty(); // the rest is reserved for static peers
            }
            InetAddress address = toAddress(network.add(offset));
            Lease lease = new Lease(name, text(address), user, device, sessionId, clock.instant(), null);
            if (leases.insert(lease)) {
                recorded.add(offset);
                cursor = advance(offset);
                return Optional.of(address);
            }
            // the address (or a lease of this device) was recorded by another pool: learn what it did
            reload();
            if (leases.heldBy(name, user, device).isPresent()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<InetAddress> leaseRequested(String user, String device, String sessionId, InetAddress requested) {
        if (!subnet.contains(requested)) {
            return Optional.empty();
        }
        BigInteger offset = toNumber(requested).subtract(network);
        boolean leasable = offset.compareTo(first) >= 0
                && offset.compareTo(last) <= 0
                && !offset.equals(server)
                && !inAnycastHole(offset)
                && !isReserved(offset, reservedRanges());
        if (!leasable || recorded.contains(offset)) {
            return Optional.empty();
        }
        InetAddress address = toAddress(network.add(offset));
        if (leases.insert(new Lease(name, text(address), user, device, sessionId, clock.instant(), null))) {
            recorded.add(offset);
            return Optional.of(address);
        }
        // another pool recorded it (or this device) meanwhile: learn what it did, then lease as usual
        reload();
        return Optional.empty();
    }

    private Optional<InetAddress> leaseReleased(String user, String device, String sessionId, List<Range> taken) {
        List<Lease> released = leases.inPool(name).stream()
                .filter(l -> !l.active())
                .filter(l -> !isReserved(offsetOf(l.address()), taken))
                .sorted(Comparator.comparing(Lease::releasedAt))
                .toList();
        for (Lease candidate : released) {
            if (leases.takeOver(candidate, user, device, sessionId, clock.instant())) {
                return Optional.of(parse(candidate.address()));
            }
        }
        return Optional.empty();
    }

    /**
     * The first offset at or after the cursor that has no row and is not reserved, or null when every
     * such offset is reserved. Only called while an unrecorded offset exists; a reserved range is
     * jumped over as a whole, so that a large static prefix costs one step.
     */
    private BigInteger nextUnrecorded(List<Range> taken) {
        BigInteger start = cursor;
        BigInteger offset = cursor;
        boolean lapped = false;
        while (true) {
            Range in = rangeOf(offset, taken);
            if (in == null && !offset.equals(server) && !inAnycastHole(offset) && !recorded.contains(offset)) {
                return offset;
            }
            BigInteger next = in == null ? advance(offset) : advance(in.last().min(last));
            if (next.compareTo(offset) <= 0) {
                lapped = true; // wrapped from the top of the pool to its bottom
            }
            offset = next;
            if (lapped && offset.compareTo(start) >= 0) {
                return null;
            }
        }
    }

    /** The reserved prefixes that meet this pool, as offset ranges. */
    private List<Range> reservedRanges() {
        List<Range> ranges = new ArrayList<>();
        for (IpPrefix p : reserved.get()) {
            if (p.isIpv4() != subnet.isIpv4()) {
                continue;
            }
            int bits = addressLength * 8;
            BigInteger lo = toNumber(p.address());
            BigInteger hi =
                    lo.add(BigInteger.ONE.shiftLeft(bits - p.prefixLength()).subtract(BigInteger.ONE));
            BigInteger poolHi = network.add(BigInteger.ONE.shiftLeft(bits - subnet.prefixLength()))
                    .subtract(BigInteger.ONE);
            if (hi.compareTo(network) < 0 || lo.compareTo(poolHi) > 0) {
                continue;
            }
            ranges.add(
                    new Range(lo.max(network).subtract(network), hi.min(poolHi).subtract(network)));
        }
        return ranges;
    }

    private static Range rangeOf(BigInteger offset, List<Range> ranges) {
        for (Range r : ranges) {
            if (offset.compareTo(r.first()) >= 0 && offset.compareTo(r.last()) <= 0) {
                return r;
            }
        }
        return null;
    }

    private static boolean isReserved(BigInteger offset, List<Range> ranges) {
        return rangeOf(offset, ranges) != null;
    }

    private BigInteger offsetOf(String address) {
        return toNumber(parse(address)).subtract(network);
    }

    /** Offsets {@code first..last} (inclusive) from the network address. */
    private record Range(BigInteger first, BigInteger last) {}

    private boolean inAnycastHole(BigInteger offset) {
        return anycastHole != null
                && offset.compareTo(anycastHole) >= 0
                && offset.compareTo(anycastHole.add(RFC2526_RESERVED)) < 0;
    }

    private BigInteger advance(BigInteger offset) {
        BigInteger next = offset.add(BigInteger.ONE);
        return next.compareTo(last) > 0 ? first : next;
    }

    private void reload() {
        recorded.clear();
        for (Lease lease : leases.inPool(name)) {
            BigInteger offset = toNumber(parse(lease.address())).subtract(network);
            recorded.add(offset);
        }
    }

    private InetAddress parse(String address) {
        IpPrefix host = IpPrefix.parse(address);
        if (!subnet.contains(host.address())) {
            throw new IllegalStateException(
                    "the lease table holds " + address + " for pool " + name + ", which is outside it");
        }
        return host.address();
    }

    private static String text(InetAddress address) {
        return address.getHostAddress();
    }

    private static BigInteger toNumber(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    private InetAddress toAddress(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[addressLength];
        int copy = Math.min(raw.length, addressLength);
        System.arraycopy(raw, raw.length - copy, bytes, addressLength - copy, copy);
        try {
            // Inet6Address keeps ::ffff:a.b.c.d-shaped IPv6 addresses IPv6
            return addressLength == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return "address pool " + name;
    }
}
