package dev.wirehaven.client;

import dev.wirehaven.qr.MonochromePng;
import dev.wirehaven.qr.QrMatrix;

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
    static final int IMAGE_QUIET_ZONE = QrMatrix.QUIET_ZONE;

    private final QrMatrix matrix;

    private ConfigQrCode(QrMatrix matrix) {
        this.matrix = matrix;
    }

    /**
     * Encodes {@code text} at error correction level L, as {@code qrencode} does by default for
     * WireGuard configs: the smallest code, which matters in a terminal, and screens are clean. Configs
     * are ASCII; only other text is marked as UTF-8 (an ECI header), which some readers ignore. The mask
     * is one that ZXing's detector reads back ({@link QrMatrix#encode}): about one config in 60 (26 of
     * 1,500 with random keys, 2026-12-05) otherwise gave a valid code that ZXing-based scanners, the
     * WireGuard Android app among them, cannot read.
     *
     * @throws IllegalArgumentException if the text is too long for any QR code (about 2.9 KB)
     */
    public static ConfigQrCode of(String text) {
        return new ConfigQrCode(
                QrMatrix.encode(text, QrMatrix.ErrorCorrection.L, QrMatrix.Utf8Marker.BEYOND_ASCII_ONLY));
    }

    /** Modules per side, without the quiet zone. */
    public int size() {
        return matrix.size();
    }

    /** True for a dark module; (0, 0) is the top left corner. */
    public boolean isDark(int x, int y) {
        return matrix.isDark(x, y);
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
                boolean top = matrix.darkWithQuietZone(x - q, y - q) != inkIsLight;
                boolean bottom = matrix.darkWithQuietZone(x - q, y + 1 - q) != inkIsLight;
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
                (x, y) -> matrix.darkWithQuietZone(
                        x / pixelsPerModule - IMAGE_QUIET_ZONE, y / pixelsPerModule - IMAGE_QUIET_ZONE));
    }

    /** The size only: the modules encode a private key. */
    @Override
    public String toString() {
        return "ConfigQrCode[" + size() + "x" + size() + " modules]";
    }
}
