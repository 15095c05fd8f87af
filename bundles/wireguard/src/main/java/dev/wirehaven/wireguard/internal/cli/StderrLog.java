package dev.wirehaven.wireguard.internal.cli;

import dev.wirehaven.wireguard.internal.uapi.ServerLog;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines on standard error in wireguard-go's shape, {@code DEBUG: (wg0) 2026/11/25 04:36:29 text}
 * and {@code ERROR: (wg0) ...}, at the level that {@code LOG_LEVEL} names as for wireguard-go:
 * {@code verbose} (or {@code debug}), {@code error} (the default) or {@code silent}.
 */
final class StderrLog implements ServerLog {

    enum Level {
        SILENT,
        ERROR,
        VERBOSE;

        /** The level for a {@code LOG_LEVEL} value; unset or unknown means ERROR, as in wireguard-go. */
        static Level of(String logLevel) {
            if (logLevel == null) {
                return ERROR;
            }
            return switch (logLevel.toLowerCase(Locale.ROOT)) {
                case "verbose", "debug" -> VERBOSE;
                case "silent" -> SILENT;
                default -> ERROR;
            };
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);

    private final Level level;
    private final String prefix;
    private final PrintStream out;

    StderrLog(Level level, String iface, PrintStream out) {
        this.level = level;
        this.prefix = "(" + iface + ") ";
        this.out = out;
    }

    @Override
    public void verbose(String message) {
        if (level == Level.VERBOSE) {
            print("DEBUG: ", message);
        }
    }

    /**
     * What the operator should see once at start even without {@code LOG_LEVEL=verbose} (the data path
     * in use); silent only when everything is.
     */
    void info(String message) {
        if (level != Level.SILENT) {
            print("INFO: ", message);
        }
    }

    @Override
    public void error(String message) {
        if (level != Level.SILENT) {
            print("ERROR: ", message);
        }
    }

    private void print(String tag, String message) {
        String line = tag + prefix + LocalDateTime.now().format(TIME) + " " + message;
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
