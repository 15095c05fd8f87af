package dev.wirehaven.auth.totp.internal.qr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The codes are read back with ZXing's own reader, as a phone's camera would read them. */
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
        assertEquals(URI, decode(pixels(seen, 4), seen[0].length * 4, seen.length * 4));
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
        int[] rgb = image.getRGB(0, 0, side, side, null, 0, side);
        assertEquals(URI, decode(rgb, side, side));
    }

    /** The text of a terminal drawing within {@code output}, as a camera pointed at the terminal reads it. */
    public static String read(String output) throws Exception {
        StringBuilder drawing = new StringBuilder();
        output.lines()
                .filter(l -> l.startsWith(QrCode.DARK_ON_LIGHT))
                .forEach(l -> drawing.append(l).append('\n'));
        boolean[][] seen = modulesAsSeen(drawing.toString());
        return decode(pixels(seen, 4), seen[0].length * 4, seen.length * 4);
    }

    @Test
    void aUriWhoseFirstChoiceOfMaskDefeatsZxingsDetectorGetsOneThatItReads() throws Exception {
        // with the mask the encoder chooses, ZXing's detector fails on these (ChecksumException),
        // though the matrix is valid: found among 3,000 random enrollment URIs
        for (String secret : List.of("TL5EJDRQR6CI6OFZXFCFBVOMA3L7XF7P", "KZJQ4IAGLWZALHTJCRJ7F5DGGOPGFYIM")) {
            String uri = "otpauth://totp/Wirehaven:alice?secret=" + secret
                    + "&issuer=Wirehaven&algorithm=SHA1&digits=6&period=30";
            QrCode code = QrCode.of(uri);

            boolean[][] seen = modulesAsSeen(code.toTerminalText());
            assertEquals(uri, decode(pixels(seen, 4), seen[0].length * 4, seen.length * 4));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(code.toPng()));
            int side = image.getWidth();
            assertEquals(uri, decode(image.getRGB(0, 0, side, side, null, 0, side), side, side));
        }
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

    public static int[] pixels(boolean[][] dark, int scale) {
        int w = dark[0].length * scale;
        int h = dark.length * scale;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = dark[y / scale][x / scale] ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        return rgb;
    }

    public static String decode(int[] rgb, int width, int height) throws Exception {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, rgb)));
        return new QRCodeReader().decode(bitmap, hints).getText();
    }
}
