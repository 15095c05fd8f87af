package dev.wirehaven.wireguard.internal.filter;

import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PeerFilter} ready for the packet path: both directions' stages as {@link RuleStages}, the
 * counter of every rule resolved by index, and the generation that tells the flows it judged from
 * those that an earlier filter judged. Rules are evaluated only for the first packet of a flow (and
 * once more for a flow from an earlier generation). Immutable.
 */
final class CompiledFilter {

    /** The verdict of a flow that no rule allowed. */
    static final int DEFAULT_DENY = RuleStages.NO_ALLOW;

    final int generation;
    private final RuleStages fromPeer;
    private final RuleStages toPeer;
    /** By rule index: the rules of {@code fromPeer}, then those of {@code toPeer}. */
    private final AtomicLong[] deniedBy;
    /** By rule index: the flows each rule allowed. */
    private final AtomicLong[] allowedBy;

    private final AtomicLong defaultDeny;
    private final AtomicLong tableFull;

    CompiledFilter(PeerFilter filter, int generation, FilterCounters counters) {
        this.generation = generation;
        this.fromPeer = new RuleStages(filter.fromPeer(), 0);
        this.toPeer = new RuleStages(filter.toPeer(), fromPeer.size());
        this.deniedBy = new AtomicLong[fromPeer.size() + toPeer.size()];
        this.allowedBy = new AtomicLong[deniedBy.length];
        int i = 0;
        for (List<List<FlowRule>> stages : List.of(filter.fromPeer(), filter.toPeer())) {
            for (List<FlowRule> stage : stages) {
                for (FlowRule rule : stage) {
                    allowedBy[i] = counters.allowedCounter(rule.name());
                    deniedBy[i++] = counters.counter(rule.name());
                }
            }
        }
        this.defaultDeny = counters.counter(PeerFilter.DEFAULT_DENY);
        this.tableFull = counters.counter(FlowFilter.TABLE_FULL);
    }

    /**
     * Judges a flow: opened by the peer with the {@code fromPeer} stages, else with the
     * {@code toPeer} stages; {@code dst} and {@code port} are its responder's. Returns a verdict that
     * {@link #allows} naming the rule that allowed it, {@link #DEFAULT_DENY}, or the index of the rule
     * that denied it.
     */
    int judge(boolean openedByPeer, boolean v6, long dstHi, long dstLo, int protocol, boolean hasPorts, int port) {
        return (openedByPeer ? fromPeer : toPeer).judge(v6, dstHi, dstLo, protocol, hasPorts, port);
    }

    /** Whether {@code verdict} lets the flow pass. */
    static boolean allows(int verdict) {
        return RuleStages.allows(verdict);
    }

    /** Counts a new flow allowed with {@code verdict}, under the rule that allowed it. */
    void countAllowed(int verdict) {
        allowedBy[RuleStages.allowingRule(verdict)].incrementAndGet();
    }

    /** Counts a packet denied with {@code verdict} (one that does not {@link #allows allow}). */
    void countDenied(int verdict) {
        (verdict >= 0 ? deniedBy[verdict] : defaultDeny).incrementAndGet();
    }

    void countDefaultDeny() {
        defaultDeny.incrementAndGet();
    }

    void countTableFull() {
        tableFull.incrementAndGet();
    }
}
