package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionView;
import dev.wirehaven.wireguard.IpAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders sessions as plain text for the shell, one row each, columns aligned:
 *
 * <pre>
 * SESSION                 USER   DEVICE  PHASE   ADDRESSES  HANDSHAKE  RX     TX
 * q3Jc0Vb2p0mVqf7W9xk1Zg  alice  laptop  ACTIVE  10.8.0.2   12s ago    10240  2048
 * </pre>
 */
final class SessionTable {

    private static final String[] HEADER = {"SESSION", "USER", "DEVICE", "PHASE", "ADDRESSES", "HANDSHAKE", "RX", "TX"};

    private SessionTable() {}

    static String render(List<SessionView> sessions, Instant now) {
        if (sessions.isEmpty()) {
            return "No open sessions\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (SessionView s : sessions) {
            rows.add(new String[] {
                s.id(),
                s.identity() == null ? "-" : s.identity().user(),
                s.deviceName().isEmpty() ? "-" : s.deviceName(),
                s.phase().name(),
                s.tunnelAddresses().isEmpty()
                        ? "-"
                        : s.tunnelAddresses().stream().map(IpAddresses::format).collect(Collectors.joining(",")),
                s.lastHandshake() == null
                        ? "never"
                        : Durations.format(Duration.ofSeconds(Math.max(
                                        0,
                                        Duration.between(s.lastHandshake(), now).toSeconds())))
                                + " ago",
                Long.toString(s.bytesReceived()),
                Long.toString(s.bytesSent())
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], printable(row[c]).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                String cell = printable(row[c]);
                out.append(c == row.length - 1 ? cell : cell + " ".repeat(widths[c] - cell.length() + 2));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Device names come from clients: no control characters reach the operator's terminal. */
    static String printable(String text) {
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
