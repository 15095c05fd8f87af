package dev.wirehaven.qr;

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
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The module matrix of a QR code (ISO/IEC 18004) of a text, as ZXing encodes it but with a mask pattern
 * that ZXing's own reader reads back. The drawing (terminal, PNG, SVG) is each user's. The modules may
 * encode a secret, so {@link #toString()} gives the size only.
 */
public final class QrMatrix {

    /** The quiet zone, in modules, on every side: the 4 of ISO/IEC 18004, which every reader expects. */
    public static final int QUIET_ZONE = 4;

    /** ISO/IEC 18004's mask patterns 000 to 111. */
    private static final int MASK_PATTERNS = 8;

    /** How much of the code can be lost and still read: more costs modules. */
    public enum ErrorCorrection {
        /** About 7%: the smallest code. */
        L(ErrorCorrectionLevel.L),
        /** About 15%. */
        M(ErrorCorrectionLevel.M),
        /** About 25%. */
        Q(ErrorCorrectionLevel.Q),
        /** About 30%. */
        H(ErrorCorrectionLevel.H);

        private final ErrorCorrectionLevel zxing;

        ErrorCorrection(ErrorCorrectionLevel zxing) {
            this.zxing = zxing;
        }
    }

    /**
     * When the code says that its bytes are UTF-8 (an ECI header). Without one a reader takes the bytes as
     * ISO-8859-1, which is the same for ASCII; the header changes the modules, so a caller keeps the rule
     * its codes were made with.
     */
    public enum Utf8Marker {
        /** On every code, ASCII text too. */
        ALWAYS,
        /** Only on text beyond ASCII: some readers ignore the header, and ASCII needs none. */
        BEYOND_ASCII_ONLY
    }

    private final boolean[][] dark;

    private QrMatrix(boolean[][] dark) {
        this.dark = dark;
    }

    /**
     * Encodes {@code text}. Of the eight mask patterns, the matrix keeps the one that the standard's penalty
     * rules choose if ZXing's own reader reads it back, else the first that it does read (mask 0 on; if none
     * did, mask 7 would stay, as valid as the rest). ZXing's detector is the one that the WireGuard Android
     * app and many camera apps scan with, and it fails on some valid matrices: about one in 300 at level M
     * (10 of 3,000 random enrollment URIs, 2026-12-05) and one in 60 at level L (26 of 1,500 WireGuard
     * configs with random keys, 2026-12-05). A phone pointed at such a code would read nothing.
     *
     * @throws IllegalArgumentException if the text is empty or too long for any QR code (about 2.9 KB at L)
     */
    public static QrMatrix encode(String text, ErrorCorrection level, Utf8Marker utf8) {
        BitMatrix m = encode(text, level, utf8, null);
        for (int mask = 0; mask < MASK_PATTERNS && !readsBack(m, text); mask++) {
            m = encode(text, level, utf8, mask); // valid either way: if none reads back, the last one stays
        }
        boolean[][] modules = new boolean[m.getHeight()][m.getWidth()];
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                modules[y][x] = m.get(x, y);
            }
        }
        return new QrMatrix(modules);
    }

    private static BitMatrix encode(String text, ErrorCorrection level, Utf8Marker utf8, Integer mask) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, level.zxing);
        hints.put(EncodeHintType.MARGIN, 0); // the quiet zone is the drawing's
        if (utf8 == Utf8Marker.ALWAYS || !StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
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

    /**
     * Whether ZXing's detector, with its default hints as a scanner app uses it, finds and decodes {@code m}
     * drawn black on white with the standard quiet zone, 4 pixels per module, as {@code text}.
     */
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

    /** Modules per side, without the quiet zone. */
    public int size() {
        return dark.length;
    }

    /** True for a dark module; (0, 0) is the top left corner, and both are below {@link #size()}. */
    public boolean isDark(int x, int y) {
        return dark[y][x];
    }

    /**
     * True for a dark module, false anywhere outside the matrix: the quiet zone around it, of whatever width
     * a drawing gives it, is light.
     */
    public boolean darkWithQuietZone(int x, int y) {
        return x >= 0 && y >= 0 && x < size() && y < size() && dark[y][x];
    }

    /** The size only: the modules may encode a secret. */
    @Override
    public String toString() {
        return "QrMatrix[" + size() + "x" + size() + " modules]";
    }
}
