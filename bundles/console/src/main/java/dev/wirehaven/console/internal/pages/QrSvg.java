package dev.wirehaven.console.internal.pages;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.EncodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
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

    /**
     * The matrix at level M. Of the eight mask patterns, the one that the standard's penalty rules
     * choose if ZXing's own detector (the one camera apps built on ZXing use) reads it back, else the
     * first that it reads: about one valid matrix in 300 defeats that detector (the TOTP plugin's
     * {@code QrCode} makes the same choice, for the same reason).
     */
    private static BitMatrix encode(String text) {
        BitMatrix m = encode(text, null);
        for (int mask = 0; mask < MASK_PATTERNS && !readsBack(m, text); mask++) {
            m = encode(text, mask); // valid either way: if none reads back, the last one stays
        }
        return m;
    }

    /** ISO/IEC 18004's mask patterns 000 to 111. */
    private static final int MASK_PATTERNS = 8;

    private static BitMatrix encode(String text, Integer mask) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, 0); // the quiet zone is drawn here
        hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        if (mask != null) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException(
                    "the text (" + text.length() + " characters) is too long for a QR code", e);
        }
    }

    /** Whether ZXing's detector finds and decodes {@code m}, drawn with its quiet zone, as {@code text}. */
    private static boolean readsBack(BitMatrix m, String text) {
        int scale = 4;
        int side = (m.getWidth() + 2 * QUIET_ZONE) * scale;
        int[] pixels = new int[side * side];
        for (int py = 0; py < side; py++) {
            for (int px = 0; px < side; px++) {
                int x = px / scale - QUIET_ZONE;
                int y = py / scale - QUIET_ZONE;
                boolean dark = x >= 0 && y >= 0 && x < m.getWidth() && y < m.getHeight() && m.get(x, y);
                pixels[py * side + px] = dark ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
        try {
            return text.equals(new QRCodeReader().decode(bitmap).getText());
        } catch (ReaderException e) {
            return false;
        }
    }
}
