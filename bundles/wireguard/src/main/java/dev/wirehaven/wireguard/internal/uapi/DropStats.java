package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import java.util.Locale;
import java.util.Map;

/**
 * The drop counters that the stats socket ({@code /var/run/wireguard/<iface>.stats}) writes to
 * every client that connects, one {@code drop_<reason>=<count>} line per {@link DropReason}
 * (lower case, every reason, zeros included), then {@code drop_total=<sum>} and a blank line.
 *
 * <p>The counters are not in the {@code get=1} reply because {@code wg} rejects keys that it does
 * not know; a separate socket keeps the configuration protocol exactly wireguard-go's. It is read
 * with {@code wirehaven-wg --stats <iface>} or any Unix socket client
 * ({@code socat - UNIX-CONNECT:/var/run/wireguard/wg0.stats}).
 */
final class DropStats {

    private DropStats() {}

    static String format(DeviceSnapshot snapshot) {
        Map<DropReason, Long> drops = snapshot.drops();
        StringBuilder out = new StringBuilder(512);
        long total = 0;
        for (DropReason reason : DropReason.values()) {
            long count = drops.getOrDefault(reason, 0L);
            total += count;
            out.append("drop_")
                    .append(reason.name().toLowerCase(Locale.ROOT))
                    .append('=')
                    .append(count)
                    .append('\n');
        }
        out.append("drop_total=").append(total).append('\n');
        return out.append('\n').toString();
    }
}
