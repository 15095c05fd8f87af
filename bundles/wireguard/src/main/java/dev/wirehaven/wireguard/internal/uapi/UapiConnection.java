package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.WireGuardDevice;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One client of the configuration socket. A client may send several requests on one connection:
 *
 * <pre>
 * get=1\n\n                      -> key=value lines, errno=0\n\n
 * set=1\nkey=value\n...\n\n      -> errno=0\n\n  or  errno=-N\n\n
 * </pre>
 *
 * A set request is read whole, up to its blank line, before it is applied; a bad line therefore
 * gets its errno and the connection stays in step for the next request (wireguard-go stops
 * reading at the bad line and drops the connection on the leftover lines). An unknown operation
 * closes the connection without a reply, as in wireguard-go.
 */
final class UapiConnection {

    /** Bounds one set request (about 30 bytes per allowed IP: far above any real configuration). */
    static final int MAX_SET_LINES = 1_000_000;

    private final WireGuardDevice device;
    private final ServerLog log;

    UapiConnection(WireGuardDevice device, ServerLog log) {
        this.device = device;
        this.log = log;
    }

    /** Serves requests until the client closes the connection or sends something unusable. */
    void serve(ByteChannel channel) throws IOException {
        LineChannel lines = new LineChannel(channel);
        while (true) {
            String operation;
            try {
                operation = lines.readLine();
            } catch (LineChannel.LineTooLongException e) {
                log.error("UAPI: " + e.getMessage() + ", closing the connection");
                return;
            }
            if (operation == null) {
                return;
            }
            switch (operation) {
                case "get=1" -> {
                    if (!get(lines)) {
                        return;
                    }
                }
                case "set=1" -> {
                    if (!set(lines)) {
                        return;
                    }
                }
                default -> {
                    log.error("UAPI: invalid operation " + IpText.quote(operation));
                    return;
                }
            }
        }
    }

    private boolean get(LineChannel lines) throws IOException {
        String blank;
        try {
            blank = lines.readLine();
        } catch (LineChannel.LineTooLongException e) {
            blank = "?";
        }
        if (blank == null) {
            return false;
        }
        if (!blank.isEmpty()) {
            UapiException e = new UapiException(UapiException.EINVAL, "trailing data after get=1");
            log.error("UAPI: " + e.getMessage());
            lines.write(e.statusLine() + "\n\n");
            return false;
        }
        String body;
        try {
            body = UapiGet.format(device.snapshot());
        } catch (RuntimeException e) {
            log.error("UAPI: device failed during get: " + e);
            lines.write(new UapiException(UapiException.EIO, "get failed").statusLine() + "\n\n");
            return true;
        }
        lines.write(body + "errno=0\n\n");
        return true;
    }

    private boolean set(LineChannel lines) throws IOException {
        List<String> request = new ArrayList<>();
        boolean complete = false;
        UapiException tooLong = null;
        while (true) {
            String line;
            try {
                line = lines.readLine();
            } catch (LineChannel.LineTooLongException e) {
                tooLong = new UapiException(UapiException.EINVAL, e.getMessage());
                break;
            }
            if (line == null) {
                break;
            }
            if (line.isEmpty()) {
                complete = true;
                break;
            }
            if (request.size() == MAX_SET_LINES) {
                tooLong =
                        new UapiException(UapiException.EINVAL, "set request longer than " + MAX_SET_LINES + " lines");
                break;
            }
            request.add(line);
        }
        if (tooLong != null) {
            // nothing is applied from a request that could not be read whole
            log.error("UAPI: " + tooLong.getMessage() + ", closing the connection");
            lines.write(tooLong.statusLine() + "\n\n");
            return false;
        }
        String status = "errno=0";
        try {
            UapiSet.parse(request).applyTo(device);
            log.verbose("UAPI: applied a set request of " + request.size() + " lines");
        } catch (UapiException e) {
            log.error("UAPI: " + e.getMessage() + " (errno " + e.errno() + ")");
            status = e.statusLine();
        }
        lines.write(status + "\n\n");
        return complete;
    }
}
