package dev.wirehaven.client;

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
import dev.wirehaven.client.internal.qr.MonochromePng;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * A QR code of a config text, as the stock WireGuard mobile apps scan it, rendered for a terminal
 * ({@code wirehaven-client export}, the Gogo shell) or as a PNG image. The modules encode the
 * private key: show them only to the person the config is for.
 */
public final class ConfigQrCode {

    /** What the terminal draws glyphs in; a QR code needs dark modules on a light ground. */
    public enum Terminal {
        /** Light text on a dark background, the usual terminal: the glyphs draw the light modules. */
        DARK_BACKGROUND,
        /** Dark text on a light background: the glyphs draw the dark modules. */
        LIGHT_BACKGROUND
    }

    /** The quiet zone around a terminal code: half the standard 4, readers cope and it saves lines. */
    static final int TERMINAL_QUIET_ZONE = 2;
    /** The standard quiet zone (ISO/IEC 18004), used for images. */
    static final int IMAGE_QUIET_ZONE = 4;

    private final boolean[][] dark;

    private ConfigQrCode(boolean[][] dark) {
        this.dark = dark;
    }

    /**
     * Encodes {@code text} at error correction level L, as {@code qrencode} does by default for
     * WireGuard configs: the smallest code, which matters in a terminal, and screens are clean. Of
     * the eight mask patterns, the one that the standard's penalty rules choose if ZXing's detector
     * reads it back, else the first that it reads: about one config in 60 (26 of 1,500 with random
     * keys, 2026-12-05) otherwise gave a valid code that ZXing-based scanners cannot read.
     *
     * @throws IllegalArgumentException if the text is too long for any QR code (about 2.9 KB)
     */
    public static ConfigQrCode of(String text) {
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
        return new ConfigQrCode(modules);
    }

    /** ISO/IEC 18004's mask patterns 000 to 111. */
    private static final int MASK_PATTERNS = 8;

    private static BitMatrix encode(String text, Integer mask) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L);
        hints.put(EncodeHintType.MARGIN, 0);
        // configs are ASCII; only other text needs the UTF-8 marker (ECI), which some readers ignore
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        if (mask != null) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException(
                    "the config (" + text.length() + " characters) is too long for a QR code", e);
        }
    }

    /**
     * Whether ZXing's detector, with its default hints, finds and decodes {@code m} drawn with the
     * standard quiet zone as {@code text}: the WireGuard Android app scans with ZXing.
     */
    private static boolean readsBack(BitMatrix m, String text) {
        int scale = 4;
        int side = (m.getWidth() + 2 * IMAGE_QUIET_ZONE) * scale;
        int[] pixels = new int[side * side];
        for (int py = 0; py < side; py++) {
            for (int px = 0; px < side; px++) {
                int x = px / scale - IMAGE_QUIET_ZONE;
                int y = py / scale - IMAGE_QUIET_ZONE;
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
     * The code in UTF-8 half blocks: one character is two modules stacked, so the code keeps its
     * square shape in a terminal whose cells are twice as tall as wide. Lines end with {@code \n}.
     */
    public String toTerminalText(Terminal terminal) {
        int q = TERMINAL_QUIET_ZONE;
        int side = size() + 2 * q;
        boolean inkIsLight = terminal == Terminal.DARK_BACKGROUND;
        StringBuilder out = new StringBuilder((side + 1) * (side / 2 + 1));
        for (int y = 0; y < side; y += 2) {
            for (int x = 0; x < side; x++) {
                boolean top = darkWithQuietZone(x - q, y - q) != inkIsLight;
                boolean bottom = darkWithQuietZone(x - q, y + 1 - q) != inkIsLight;
                out.append(top ? (bottom ? '\u2588' : '\u2580') : (bottom ? '\u2584' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The code as a black and white PNG, {@code pixelsPerModule} pixels for each module. */
    public byte[] toPng(int pixelsPerModule) {
        if (pixelsPerModule < 1 || pixelsPerModule > 64) {
            throw new IllegalArgumentException("pixelsPerModule " + pixelsPerModule + " is outside 1..64");
        }
        int side = (size() + 2 * IMAGE_QUIET_ZONE) * pixelsPerModule;
        return MonochromePng.encode(
                side,
                side,
                (x, y) -> darkWithQuietZone(
                        x / pixelsPerModule - IMAGE_QUIET_ZONE, y / pixelsPerModule - IMAGE_QUIET_ZONE));
    }

    private boolean darkWithQuietZone(int x, int y) {
        return x >= 0 && y >= 0 && x < size() && y < size() && dark[y][x];
    }

    /** The size only: the modules encode a private key. */
    @Override
    public String toString() {
        return "ConfigQrCode[" + size() + "x" + size() + " modules]";
    }
}
