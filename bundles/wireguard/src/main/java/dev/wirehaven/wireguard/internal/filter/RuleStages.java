package dev.wirehaven.wireguard.internal.filter;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stages of one direction of a {@link dev.wirehaven.wireguard.PeerFilter}, flattened into primitive
 * arrays: rule {@code i} is {@code allow[i]}, {@code protocol[i]}, ... and stage {@code s} holds the
 * rules from {@code stageEnd[s - 1]} (0 for the first) to {@code stageEnd[s]}. Addresses are left-aligned
 * 128-bit values as in {@link PacketFlow}, prefixes a value and a mask. Immutable.
 */
final class RuleStages {

    /** The verdict when no stage denied and none allowed. */
    static final int NO_ALLOW = -2;
    /**
     * The verdict of a flow allowed by rule 0; rule {@code i} gives {@code ALLOWED_BY_FIRST - i}, so
     * that a verdict names the rule that decided either way without allocating.
     */
    private static final int ALLOWED_BY_FIRST = -3;

    private final int firstIndex;
    private final int[] stageEnd;
    private final boolean[] allow;
    private final boolean[] v6;
    private final long[] netHi;
    private final long[] netLo;
    private final long[] maskHi;
    private final long[] maskLo;
    private final int[] protocol;
    private final int[] firstPort;
    private final int[] lastPort;

    /** Compiles {@code stages}; its rules are numbered from {@code firstIndex} on. */
    RuleStages(List<List<FlowRule>> stages, int firstIndex) {
        this.firstIndex = firstIndex;
        int n = stages.stream().mapToInt(List::size).sum();
        stageEnd = new int[stages.size()];
        allow = new boolean[n];
        v6 = new boolean[n];
        netHi = new long[n];
        netLo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        protocol = new int[n];
        firstPort = new int[n];
        lastPort = new int[n];
        int i = 0;
        for (int s = 0; s < stages.size(); s++) {
            for (FlowRule r : stages.get(s)) {
                compile(i++, r);
            }
            stageEnd[s] = i;
        }
    }

    private void compile(int i, FlowRule r) {
        Cidr d = r.destination();
        byte[] a = d.address().getAddress();
        ByteBuffer bytes = ByteBuffer.allocate(16).put(a);
        v6[i] = a.length == 16;
        int bits = d.prefixLength();
        maskHi[i] = bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
        maskLo[i] = bits <= 64 ? 0 : -1L << (128 - bits);
        netHi[i] = bytes.getLong(0) & maskHi[i];
        netLo[i] = bytes.getLong(8) & maskLo[i];
        allow[i] = r.allow();
        protocol[i] = r.ipProtocol();
        firstPort[i] = r.firstPort();
        lastPort[i] = r.lastPort();
    }

    int size() {
        return allow.length;
    }

    /**
     * Judges a flow toward {@code dst} ({@code port} its TCP or UDP destination port if
     * {@code hasPorts}): in each stage the first matching rule decides that stage; the first stage that
     * denies decides. Returns the index of the denying rule, {@link #NO_ALLOW}, or, when allowed,
     * {@link #allowedBy} the first rule that allowed it (the rule of the earliest stage: the one that
     * let the flow past the first check).
     */
    int judge(boolean isV6, long dstHi, long dstLo, int proto, boolean hasPorts, int port) {
        int allowedBy = -1;
        int from = 0;
        for (int end : stageEnd) {
            for (int i = from; i < end; i++) {
                if (matches(i, isV6, dstHi, dstLo, proto, hasPorts, port)) {
                    if (!allow[i]) {
                        return firstIndex + i;
                    }
                    if (allowedBy < 0) {
                        allowedBy = firstIndex + i;
                    }
                    break;
                }
            }
            from = end;
        }
        return allowedBy < 0 ? NO_ALLOW : allowedBy(allowedBy);
    }

    /** The verdict of a flow that rule {@code index} allowed. */
    static int allowedBy(int index) {
        return ALLOWED_BY_FIRST - index;
    }

    /** Whether {@code verdict} allows the flow. */
    static boolean allows(int verdict) {
        return verdict <= ALLOWED_BY_FIRST;
    }

    /** The index of the rule that allowed a flow with {@code verdict}, which {@link #allows}. */
    static int allowingRule(int verdict) {
        return ALLOWED_BY_FIRST - verdict;
    }

    private boolean matches(int i, boolean isV6, long dstHi, long dstLo, int proto, boolean hasPorts, int port) {
        if (v6[i] != isV6 || ((dstHi & maskHi[i]) != netHi[i]) || ((dstLo & maskLo[i]) != netLo[i])) {
            return false;
        }
        if (protocol[i] != FlowRule.ANY_PROTOCOL && protocol[i] != proto) {
            return false;
        }
        return firstPort[i] == 0 || (hasPorts && port >= firstPort[i] && port <= lastPort[i]);
    }
}
