package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What is in force at one moment, as an immutable snapshot: the blocked prefixes and the disabled users,
 * each with its end. The control API asks {@link #blocks} on every request and the session layer
 * {@link #disables} at every login, so both read this without a lock; the ledger swaps in a new snapshot
 * whenever a lasting response starts or ends.
 *
 * <p>Each entry keeps its expiry, so that a block whose time has passed lets its source in at once,
 * even before the once-a-second expiry task has ended it.
 */
final class Enforcement {

    static final Enforcement NONE = new Enforcement(new Block[0], Map.of());

    private record Block(IpPrefix prefix, Instant expires) {}

    private final Block[] blocks;
    private final Map<String, Instant> disabled;

    private Enforcement(Block[] blocks, Map<String, Instant> disabled) {
        this.blocks = blocks;
        this.disabled = disabled;
    }

    /** The snapshot of the responses in force among {@code responses}. */
    static Enforcement of(Collection<SecurityResponse> responses) {
        List<Block> blocks = new ArrayList<>();
        Map<String, Instant> disabled = new HashMap<>();
        for (SecurityResponse r : responses) {
            if (!r.isActive()) {
                continue;
            }
            if (r.action() == ResponseAction.BLOCK_SOURCE) {
                blocks.add(new Block(IpPrefix.parse(r.target()), r.expires()));
            } else if (r.action() == ResponseAction.DISABLE_USER) {
                disabled.merge(r.target(), r.expires(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return new Enforcement(blocks.toArray(new Block[0]), Map.copyOf(disabled));
    }

    /** True when a block in force at {@code now} covers {@code source}. */
    boolean blocks(InetAddress source, Instant now) {
        for (Block b : blocks) {
            if (now.isBefore(b.expires) && b.prefix.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code user} is disabled at {@code now}. */
    boolean disables(String user, Instant now) {
        Instant until = disabled.get(user);
        return until != null && now.isBefore(until);
    }

    /** The blocked prefixes, in the order the blocks started: what the WireGuard devices are given. */
    List<IpPrefix> blockedPrefixes() {
        List<IpPrefix> prefixes = new ArrayList<>(blocks.length);
        for (Block b : blocks) {
            prefixes.add(b.prefix);
        }
        return prefixes;
    }
}
