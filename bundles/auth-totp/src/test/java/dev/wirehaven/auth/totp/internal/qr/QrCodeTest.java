package dev.wirehaven.auth.totp.internal.qr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.qr.testing.Scanner;
import dev.wirehaven.qr.testing.UnreadableFirstMask;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The codes are read back with ZXing's own reader, as a phone's camera would read them. The choice of
 * mask is proven in {@code bundles/qr} ({@code QrMatrixTest}); here, that the drawings carry it.
 */
public class QrCodeTest {

    private static final String URI = "otpauth://totp/ACME%20VPN:Jane%20Doe%3Aops%40example.com"
            + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20VPN&algorithm=SHA1&digits=6&period=30";

    @Test
    void theTerminalDrawingDecodesToTheUri() throws Exception {
        QrCode code = QrCode.of(URI);

        boolean[][] seen = modulesAsSeen(code.toTerminalText());

        int q = QrCode.QUIET_ZONE;
        for (int y = 0; y < code.size(); y++) {
            for (int x = 0; x < code.size(); x++) {
                assertEquals(code.isDark(x, y), seen[y + q][x + q], "module " + x + "," + y);
            }
        }
        assertEquals(URI, Scanner.readTryingHarder(Scanner.pixels(seen, 4), seen[0].length * 4, seen.length * 4));
    }

    @Test
    void theTerminalDrawingIsDarkOnLightWithAQuietZoneOfFourModules() {
        QrCode code = QrCode.of(URI);
        String text = code.toTerminalText();

        for (String line : text.split("\n")) {
            assertTrue(line.startsWith(QrCode.DARK_ON_LIGHT), "each line sets black on white");
            assertTrue(line.endsWith(QrCode.RESET), "and resets the terminal's colours");
        }
        boolean[][] seen = modulesAsSeen(text);
        int side = code.size() + 2 * QrCode.QUIET_ZONE;
        assertEquals(side, seen[0].length);
        for (int i = 0; i < side; i++) {
            for (int border = 0; border < QrCode.QUIET_ZONE; border++) {
                assertFalse(seen[border][i], "top quiet zone");
                assertFalse(seen[i][border], "left quiet zone");
                assertFalse(seen[side - 1 - border][i], "bottom quiet zone");
                assertFalse(seen[i][side - 1 - border], "right quiet zone");
            }
        }
        // the finder pattern's top left corner is dark: ink is dark modules, not light ones
        assertTrue(seen[QrCode.QUIET_ZONE][QrCode.QUIET_ZONE]);
    }

    @Test
    void thePngDecodesToTheUri() throws Exception {
        QrCode code = QrCode.of(URI);
        byte[] png = code.toPng();

        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int side = (code.size() + 2 * QrCode.QUIET_ZONE) * QrCode.PNG_SCALE;
        assertEquals(side, image.getWidth());
        assertEquals(side, image.getHeight());
        assertEquals(1, image.getColorModel().getPixelSize());
        assertEquals(0xFFFFFFFF, image.getRGB(0, 0), "the quiet zone is white");
        int corner = QrCode.QUIET_ZONE * QrCode.PNG_SCALE;
        assertEquals(0xFF000000, image.getRGB(corner, corner), "a finder pattern's corner is black");
        assertEquals(URI, Scanner.readTryingHarder(image));
    }

    /** The text of a terminal drawing within {@code output}, as a camera pointed at the terminal reads it. */
    public static String read(String output) throws Exception {
        StringBuilder drawing = new StringBuilder();
        output.lines()
                .filter(l -> l.startsWith(QrCode.DARK_ON_LIGHT))
                .forEach(l -> drawing.append(l).append('\n'));
        boolean[][] seen = modulesAsSeen(drawing.toString());
        return Scanner.readTryingHarder(Scanner.pixels(seen, 4), seen[0].length * 4, seen.length * 4);
    }

    @Test
    void aUriWhoseFirstChoiceOfMaskDefeatsZxingsDetectorIsDrawnWithOneThatItReads() throws Exception {
        // with the mask the encoder chooses, ZXing's detector fails on this URI (ChecksumException),
        // though the matrix is valid: found among 3,000 random enrollment URIs
        String uri = UnreadableFirstMask.ENROLLMENT_URIS.get(0);
        QrCode code = QrCode.of(uri);

        boolean[][] seen = modulesAsSeen(code.toTerminalText());
        assertEquals(uri, Scanner.read(Scanner.pixels(seen, 4), seen[0].length * 4, seen.length * 4));
        assertEquals(uri, Scanner.read(ImageIO.read(new ByteArrayInputStream(code.toPng()))));
    }

    @Test
    void itsTextHidesTheSecret() {
        assertFalse(QrCode.of(URI).toString().contains("GEZD"));
    }

    /** Reads the half blocks back into modules, dark = true, after the colour codes are stripped. */
    public static boolean[][] modulesAsSeen(String shown) {
        List<String> lines = shown.replace(QrCode.DARK_ON_LIGHT, "")
                .replace(QrCode.RESET, "")
                .lines()
                .toList();
        int width = lines.get(0).length();
        boolean[][] seen = new boolean[lines.size() * 2][width];
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            assertEquals(width, line.length(), "every line is as wide");
            for (int x = 0; x < width; x++) {
                char c = line.charAt(x);
                assertTrue(
                        c == ' ' || c == QrCode.UPPER_HALF || c == QrCode.LOWER_HALF || c == QrCode.FULL_BLOCK,
                        "only half blocks and spaces: " + (int) c);
                seen[2 * row][x] = c == QrCode.FULL_BLOCK || c == QrCode.UPPER_HALF;
                seen[2 * row + 1][x] = c == QrCode.FULL_BLOCK || c == QrCode.LOWER_HALF;
            }
        }
        return seen;
    }
}
