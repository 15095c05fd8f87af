package dev.wirehaven.qr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.qr.testing.Scanner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The files are read back with the JDK's own PNG reader (ImageIO), which checks every chunk's CRC. */
class MonochromePngTest {

    @Test
    void everyPixelReadsBackBlackOrWhiteAsDrawn() throws Exception {
        // 13 wide: rows of two bytes, the second one partly padding
        int width = 13;
        int height = 5;
        MonochromePng.Pixels pattern = (x, y) -> (x * 3 + y * y) % 4 == 0;

        byte[] png = MonochromePng.encode(width, height, pattern);

        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        assertEquals(1, image.getColorModel().getPixelSize(), "1-bit grayscale");
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                assertEquals(pattern.isBlack(x, y) ? 0xFF000000 : 0xFFFFFFFF, image.getRGB(x, y), x + "," + y);
            }
        }
    }

    @Test
    void aQrCodeDrawnInItReadsBack() throws Exception {
        String text = "otpauth://totp/Wirehaven:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Wirehaven";
        QrMatrix code = QrMatrix.encode(text, QrMatrix.ErrorCorrection.M, QrMatrix.Utf8Marker.ALWAYS);
        int scale = 3;
        int side = (code.size() + 2 * QrMatrix.QUIET_ZONE) * scale;

        byte[] png = MonochromePng.encode(
                side,
                side,
                (x, y) -> code.darkWithQuietZone(x / scale - QrMatrix.QUIET_ZONE, y / scale - QrMatrix.QUIET_ZONE));

        assertEquals(text, Scanner.read(ImageIO.read(new ByteArrayInputStream(png))));
    }
}
