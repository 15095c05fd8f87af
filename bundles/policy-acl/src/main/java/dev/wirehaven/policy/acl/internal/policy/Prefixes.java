package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.net.IpPrefix;

/** What {@link IpPrefix} does not say itself: whether one prefix lies inside another. */
public final class Prefixes {

    private Prefixes() {}

    /**
     * True when every address of {@code inner} is in {@code outer}: the same family, a prefix at least as
     * long, and its network address inside (the host bits of both are already cleared).
     */
    public static boolean covers(IpPrefix outer, IpPrefix inner) {
        return outer.isIpv4() == inner.isIpv4()
                && outer.prefixLength() <= inner.prefixLength()
                && outer.contains(inner.address());
    }
}
