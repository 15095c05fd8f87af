package dev.wirehaven.wireguard.internal.filter;

import dev.wirehaven.wireguard.PeerFilter;
import java.util.Map;
import java.util.Objects;

/**
 * One peer's access control on the packet path (connection tracking): its compiled
 * {@link PeerFilter} and its {@link FlowTable}. Created when a filter is first set on the peer and
 * dropped when it is removed, so that a peer without filter costs nothing.
 *
 * <p>{@link #admit} is the only call on the packet path. A packet of an open flow costs a hash lookup
 * under the table's monitor (the receive path's drain of this peer and the TUN reader are the only
 * threads that contend for it); the first packet of a new flow is judged by the rules, linear in their
 * number. An allowed new flow is counted under the rule that allowed it, a denied packet under the
 * rule that denied it, here, and by the caller under
 * {@link dev.wirehaven.wireguard.DropReason#POLICY_DENIED}.
 *
 * <p>Each denied flow also sets one bit of a lazily allocated 4096-bit sketch of distinct denied
 * destinations ({@link #deniedDestinations}).
 *
 * <p>Replacing the filter publishes a new compiled filter with the next generation and leaves the
 * table: a flow from an older generation is judged again, by the new rules and in the direction it
 * was opened, at its next packet, and then goes on or is removed.
 */
public final class FlowFilter {

    /** The counter name of new flows denied because the peer's flow table was full of answered flows. */
    public static final String TABLE_FULL = "flow-table-full";

    private final FlowTable table;
    private final FilterCounters counters = new FilterCounters();
    private final DeniedDestinations deniedDestinations; // guarded by table
    private volatile CompiledFilter compiled;

    /**
     * @param maxFlows the most flows the table holds
     * @param seed the hash seed, random per peer, so that nobody can predict which flows collide
     */
    public FlowFilter(PeerFilter filter, int maxFlows, long seed) {
        this.table = new FlowTable(maxFlows, seed);
        this.deniedDestinations = new DeniedDestinations(Long.rotateLeft(seed, 32) ^ 0x9e3779b97f4a7c15L);
        this.compiled = new CompiledFilter(Objects.requireNonNull(filter, "filter"), 0, counters);
    }

    /** Puts {@code filter} in force; the open flows are judged again at their next packet. */
    public void replace(PeerFilter filter) {
        Objects.requireNonNull(filter, "filter");
        synchronized (counters) { // serializes replacements: generations never go back
            CompiledFilter next = new CompiledFilter(filter, compiled.generation + 1, counters);
            synchronized (table) { // no packet is judged by the new rules before the estimate restarts
                compiled = next;
                deniedDestinations.clear();
            }
        }
    }

    /**
     * Whether the packet at {@code b[off..off+len)} may pass: {@code fromPeer} when the peer sent it
     * (receive path), so that a new flow is the peer's, false when it goes to the peer (send path).
     *
     * @param scratch a parse buffer that no other thread uses meanwhile
     * @param now the device clock's nanoseconds
     */
    public boolean admit(byte[] b, int off, int len, PacketFlow scratch, boolean fromPeer, long now) {
        PacketFlow f = scratch;
        if (!f.parse(b, off, len)) {
            compiled.countDefaultDeny();
            return false;
        }
        synchronized (table) {
            // read under the monitor: once replace() returned, no packet is judged by the rules it replaced
            CompiledFilter c = compiled;
            switch (f.kind) {
                case PacketFlow.LATER_FRAGMENT:
                    return laterFragment(c, f, now);
                case PacketFlow.ICMP_ERROR:
                    return related(c, f, now);
                default:
                    if (!flow(c, f, fromPeer, now)) {
                        return false;
                    }
                    if (f.kind == PacketFlow.FIRST_FRAGMENT && table.find(f, true, now) < 0) {
                        table.insert(f, true, fromPeer, c.generation, now); // the later fragments' pass
                    }
                    return true;
            }
        }
    }

    /** The packet's flow is open, or opens now if the rules allow it. */
    private boolean flow(CompiledFilter c, PacketFlow f, boolean fromPeer, long now) {
        int slot = table.find(f, false, now);
        if (slot >= 0) {
            if (!stillAllowed(c, f, slot)) {
                return false;
            }
            table.touch(slot, f.reverse, now);
            return true;
        }
        int verdict = c.judge(fromPeer, f.v6, f.dstHi, f.dstLo, f.protocol, f.hasPorts, f.dstPort);
        if (!CompiledFilter.allows(verdict)) {
            c.countDenied(verdict);
            deniedDestinations.add(f.v6, f.dstHi, f.dstLo, f.protocol, f.hasPorts ? f.dstPort : 0);
            return false;
        }
        if (table.insert(f, false, fromPeer, c.generation, now) < 0) {
            c.countTableFull();
            deniedDestinations.add(f.v6, f.dstHi, f.dstLo, f.protocol, f.hasPorts ? f.dstPort : 0);
            return false;
        }
        c.countAllowed(verdict);
        return true;
    }

    /** A fragment after the first passes if its datagram's first fragment passed under these rules. */
    private boolean laterFragment(CompiledFilter c, PacketFlow f, long now) {
        int slot = table.find(f, true, now);
        if (slot >= 0 && table.generation(slot) == c.generation) {
            return true;
        }
        if (slot >= 0) {
            table.remove(slot); // its first fragment was judged by rules no longer in force
        }
        c.countDefaultDeny();
        return false;
    }

    /** An ICMP error passes if the packet it reports belongs to an open flow; it opens none. */
    private boolean related(CompiledFilter c, PacketFlow f, long now) {
        int slot = table.find(f, false, now);
        if (slot < 0) {
            c.countDefaultDeny();
            return false;
        }
        return stillAllowed(c, f, slot);
    }

    /** A flow judged under older rules is judged again, in the direction it was opened. */
    private boolean stillAllowed(CompiledFilter c, PacketFlow f, int slot) {
        if (table.generation(slot) == c.generation) {
            return true;
        }
        boolean r = f.reverse; // the responder is this packet's source
        int verdict = c.judge(
                table.openedByPeer(slot),
                f.v6,
                r ? f.srcHi : f.dstHi,
                r ? f.srcLo : f.dstLo,
                f.protocol,
                f.hasPorts,
                r ? f.srcPort : f.dstPort);
        if (!CompiledFilter.allows(verdict)) {
            table.remove(slot);
            c.countDenied(verdict);
            deniedDestinations.add(
                    f.v6,
                    r ? f.srcHi : f.dstHi,
                    r ? f.srcLo : f.dstLo,
                    f.protocol,
                    !f.hasPorts ? 0 : r ? f.srcPort : f.dstPort);
            return false;
        }
        table.generation(slot, c.generation);
        return true;
    }

    /** The flows open now; removes the expired ones on the way. */
    public int openFlows(long now) {
        synchronized (table) {
            table.removeExpired(now);
            return table.size();
        }
    }

    /**
     * An estimate of the distinct destinations (protocol, address, port) of the flows that this
     * filter denied since it was set or last replaced ({@link DeniedDestinations}): flows that the
     * rules refused, or that a full table refused. Packets that name no flow of their own (cut short,
     * later fragments without their first, ICMP errors that match no flow) are counted under their rule
     * but not here. A replacement starts the estimate again from 0, while the per-rule counts go on:
     * a rule keeps its count under its name, but the set of denied destinations belongs to the rules
     * that denied them, and the new rules may allow some of them; a bitmap cannot forget single ones.
     */
    public long deniedDestinations() {
        synchronized (table) {
            return deniedDestinations.estimate();
        }
    }

    /** Denied packets by rule name, only names that denied something. */
    public Map<String, Long> deniedByRule() {
        return counters.denied();
    }

    /**
     * New flows by the name of the rule that allowed them, only rules that allowed one; a flow judged
     * again after a replacement is not counted twice.
     */
    public Map<String, Long> allowedFlowsByRule() {
        return counters.allowed();
    }
}
