package dev.wirehaven.monitor.alerts.internal;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Values as an operator reads them in an alert: bytes in KiB/MiB/GiB, seconds as {@code s}, plain
 * counts without a unit, four significant digits for fractions. Locale-free, so that an alert reads
 * the same in every log and SIEM.
 */
final class Quantities {

    private static final String[] BINARY = {"bytes", "KiB", "MiB", "GiB", "TiB"};

    private Quantities() {}

    /** {@code value} in {@code unit} (a sample's unit, possibly with {@code /s} for a rate). */
    static String format(double value, String unit) {
        boolean perSecond = unit.endsWith("/s");
        String base = perSecond ? unit.substring(0, unit.length() - 2) : unit;
        String suffix = perSecond ? "/s" : "";
        if (base.equals("bytes") || base.equals("By")) {
            int step = 0;
            double scaled = value;
            while (Math.abs(scaled) >= 1024 && step < BINARY.length - 1) {
                scaled /= 1024;
                step++;
            }
            return number(scaled) + " " + BINARY[step] + suffix;
        }
        String shown = switch (base) {
            case "", "1" -> "";
            case "seconds", "s" -> "s";
            default -> base;
        };
        if (shown.isEmpty()) {
            return number(value) + (perSecond ? "/s" : "");
        }
        return number(value) + " " + shown + suffix;
    }

    /** Whole numbers in full, others to four significant digits; never an exponent. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value)
                .round(new MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }
}
