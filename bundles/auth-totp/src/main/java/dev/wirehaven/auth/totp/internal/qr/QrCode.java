package dev.wirehaven.auth.totp.internal.qr;

import dev.wirehaven.qr.MonochromePng;
import dev.wirehaven.qr.QrMatrix;

/**
 * The QR code of an {@code otpauth://} URI, for the phone's camera: drawn in a terminal or written as
 * a PNG image. {@link QrMatrix} makes the module matrix; the drawing is ours. The modules encode the
 * secret, so the code is shown only to the person enrolling.
 */
public final class QrCode {

    /** The quiet zone, in modules, on every side: the 4 of ISO/IEC 18004, which every reader expects. */
    static final int QUIET_ZONE = QrMatrix.QUIET_ZONE;

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

    private final QrMatrix matrix;

    private QrCode(QrMatrix matrix) {
        this.matrix = matrix;
    }

    /**
     * Encodes {@code text} at error correction level M, marked as UTF-8: the URI is short, and some margin
     * helps a camera with a screen's glare. The mask is one that ZXing's own reader reads back
     * ({@link QrMatrix#encode}).
     */
    public static QrCode of(String text) {
        return new QrCode(QrMatrix.encode(text, QrMatrix.ErrorCorrection.M, QrMatrix.Utf8Marker.ALWAYS));
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
                boolean top = matrix.darkWithQuietZone(x - QUIET_ZONE, y - QUIET_ZONE);
                boolean bottom = matrix.darkWithQuietZone(x - QUIET_ZONE, y + 1 - QUIET_ZONE);
                out.append(top ? (bottom ? FULL_BLOCK : UPPER_HALF) : (bottom ? LOWER_HALF : ' '));
            }
            out.append(RESET).append('\n');
        }
        return out.toString();
    }

    /** The code as a black and white PNG with its quiet zone, {@link #PNG_SCALE} pixels per module. */
    public byte[] toPng() {
        int side = (size() + 2 * QUIET_ZONE) * PNG_SCALE;
        return MonochromePng.encode(
                side, side, (x, y) -> matrix.darkWithQuietZone(x / PNG_SCALE - QUIET_ZONE, y / PNG_SCALE - QUIET_ZONE));
    }

    /** The size only: the modules encode a secret. */
    @Override
    public String toString() {
        return "QrCode[" + size() + "x" + size() + " modules]";
    }
}
