package dev.wirehaven.console.internal.pages;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.EnumMap;
import java.util.Map;

/**
 * A QR code as inline SVG, for the phone's camera on the Users page: ZXing (the library the TOTP
 * plugin draws its codes with) makes the module matrix, and each run of dark modules in a row becomes
 * one rectangle of a single path. Inline markup, not an image URL, so the page's Content-Security-Policy
 * needs nothing new and the secret in the code never becomes a URL that a browser could keep.
 */
final class QrSvg {

    /** The quiet zone, in modules, on every side: the 4 of ISO/IEC 18004, which every reader expects. */
    static final int QUIET_ZONE = 4;

    /** Pixels per module as drawn: about 250 pixels for an otpauth URI. */
    private static final int SCALE = 6;

    private QrSvg() {}

    /** The SVG element of {@code text} at error correction level M (some margin for a screen's glare). */
    static String of(String text, String id) {
        BitMatrix m = encode(text);
        int side = m.getWidth() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y++) {
            int x = 0;
            while (x < m.getWidth()) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < m.getWidth() && m.get(x, y)) {
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

    private static BitMatrix encode(String text) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, 0); // the quiet zone is drawn here
        hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException(
                    "the text (" + text.length() + " characters) is too long for a QR code", e);
        }
    }
}
