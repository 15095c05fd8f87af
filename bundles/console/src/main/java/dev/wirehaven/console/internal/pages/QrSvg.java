package dev.wirehaven.console.internal.pages;

import dev.wirehaven.qr.QrMatrix;

/**
 * A QR code as inline SVG, for the phone's camera on the Users page: {@link QrMatrix} (ZXing, the library
 * the TOTP plugin draws its codes with) makes the module matrix, and each run of dark modules in a row
 * becomes one rectangle of a single path. Inline markup, not an image URL, so the page's
 * Content-Security-Policy needs nothing new and the secret in the code never becomes a URL that a browser
 * could keep.
 */
final class QrSvg {

    /** The quiet zone, in modules, on every side: the 4 of ISO/IEC 18004, which every reader expects. */
    static final int QUIET_ZONE = QrMatrix.QUIET_ZONE;

    /** Pixels per module as drawn: about 250 pixels for an otpauth URI. */
    private static final int SCALE = 6;

    private QrSvg() {}

    /**
     * The SVG element of {@code text} at error correction level M (some margin for a screen's glare), marked
     * as UTF-8 as the TOTP plugin's own codes are, with a mask that ZXing's reader reads back
     * ({@link QrMatrix#encode}).
     */
    static String of(String text, String id) {
        QrMatrix m = QrMatrix.encode(text, QrMatrix.ErrorCorrection.M, QrMatrix.Utf8Marker.ALWAYS);
        int side = m.size() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.size(); y++) {
            int x = 0;
            while (x < m.size()) {
                if (!m.isDark(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < m.size() && m.isDark(x, y)) {
                    x++;
                }
                path.append('M')
                        .append(start + QUIET_ZONE)
                        .append(' ')
                        .append(y + QUIET_ZONE)
                        .append('h')
                        .append(x - start)
                        .append("v1h-")
                        .append(x - start)
                        .append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" role=\"img\" aria-label=\"QR code\""
                + " width=\"" + side * SCALE + "\" height=\"" + side * SCALE + "\" viewBox=\"0 0 " + side + " " + side
                + "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" + side
                + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
