package dev.wirehaven.auth.totp.internal.qr;

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
 * The QR code of an {@code otpauth://} URI, for the phone's camera: drawn in a terminal or written as
 * a PNG image. ZXing makes the module matrix; the drawing is ours. The modules encode the secret, so
 * the code is shown only to the person enrolling.
 */
public final class QrCode {

    /** The quiet zone, in modules, on every side: the 4 of ISO/IEC 18004, which every reader expects. */
    static final int QUIET_ZONE = 4;

    /** Pixels per module in the PNG: about 250 pixels for a URI, sharp on any screen or print. */
    public static final int PNG_SCALE = 6;

    /**
     * Black ink on a white ground for the lines of the terminal drawing (ANSI SGR 30 and 107), so that
     * the code is dark on light in any terminal, whatever its own colours: a camera needs dark modules on
     * a light ground, and a code drawn in a dark terminal's light text would be the inverse.
     */
    static final String DARK_ON_LIGHT = "\u001b[30;107m";

    static final String RESET = "\u001b[0m";
    static final char UPPER_HALF = '\u2580';
    static final char LOWER_HALF = '\u2584';
    static final char FULL_BLOCK = '\u2588';

    private final boolean[][] dark;

    private QrCode(boolean[][] dark) {
        this.dark = dark;
    }

    /**
     * Encodes {@code text} at error correction level M: the URI is short, and some margin helps a
     * camera with a screen's glare. Of the eight mask patterns the encoder may use, the code keeps the
     * one that the standard's penalty rules choose if ZXing's own reader (the detector that camera apps
     * built on ZXing use) reads it back, else the first that it does read (mask 0 on): about one valid matrix in 300
     * defeats that detector (10 of 3,000 random enrollment URIs, 2026-12-05), and a phone pointed at it
     * would fail.
     */
    public static QrCode of(String text) {
        BitMatrix m = encode(text, null);
        for (int mask = 0; mask < MASK_PATTERNS && !readsBack(m, text); mask++) {
            m = encode(text, mask); // valid either way: if none reads back, the last one stays
        }
        boolean[][] modules = new boolean[m.getHeight()][m.getWidth()];
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                modules[y][x] = m.get(x, y);
            }
        }
        return new QrCode(modules);
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

    /** Modules per side, without the quiet zone. */
    public int size() {
        return dark.length;
    }

    /** True for a dark module; (0, 0) is the top left corner. */
    public boolean isDark(int x, int y) {
        return dark[y][x];
    }

    /**
     * The code in Unicode half blocks with its quiet zone, dark modules as ink: one character holds
     * two modules stacked, so the code stays square in a terminal whose cells are twice as tall as wide.
     * Each line is coloured black on white ({@link #DARK_ON_LIGHT}) and ends with a reset and {@code \n}.
     */
    public String toTerminalText() {
        int side = size() + 2 * QUIET_ZONE;
        StringBuilder out = new StringBuilder((side + 12) * (side / 2 + 1));
        for (int y = 0; y < side; y += 2) {
            out.append(DARK_ON_LIGHT);
            for (int x = 0; x < side; x++) {
                boolean top = darkWithQuietZone(x - QUIET_ZONE, y - QUIET_ZONE);
                boolean bottom = darkWithQuietZone(x - QUIET_ZONE, y + 1 - QUIET_ZONE);
                out.append(top ? (bottom ? FULL_BLOCK : UPPER_HALF) : (bottom ? LOWER_HALF : ' '));
            }
            out.append(RESET).append('\n');
        }
        return out.toString();
    }

    /** The code as a black and white PNG with its quiet zone, {@link #PNG_SCALE} pixels per module. */
    public byte[] toPng() {
        int side = (size() + 2 * QUIET_ZONE) * PNG_SCALE;
        return Png.encode(
                side, side, (x, y) -> darkWithQuietZone(x / PNG_SCALE - QUIET_ZONE, y / PNG_SCALE - QUIET_ZONE));
    }

    private boolean darkWithQuietZone(int x, int y) {
        return x >= 0 && y >= 0 && x < size() && y < size() && dark[y][x];
    }

    /** The size only: the modules encode a secret. */
    @Override
    public String toString() {
        return "QrCode[" + size() + "x" + size() + " modules]";
    }
}
