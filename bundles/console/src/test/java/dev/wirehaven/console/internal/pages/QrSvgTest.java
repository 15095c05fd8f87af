package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.qr.testing.Scanner;
import dev.wirehaven.qr.testing.UnreadableFirstMask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QrSvgTest {

    private static final String URI =
            "otpauth://totp/Wirehaven:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Wirehaven&digits=6&period=30";

    @Test
    void aCameraReadsTheUriBackFromTheDrawnModules() throws Exception {
        String svg = QrSvg.of(URI, "otpauth-qr");

        assertEquals(URI, decode(svg));
    }

    @Test
    void aUriWhoseFirstChoiceOfMaskDefeatsZxingsDetectorIsDrawnWithOneThatItReads() throws Exception {
        // with the mask the encoder chooses, ZXing's detector fails on this URI though the matrix is valid
        // (the choice of mask is proven in bundles/qr, QrMatrixTest; here, that the drawing carries it)
        String uri = UnreadableFirstMask.ENROLLMENT_URIS.get(1);

        assertEquals(uri, decode(QrSvg.of(uri, "otpauth-qr")));
    }

    @Test
    void theCodeHasItsQuietZoneAndNothingButShapes() {
        String svg = QrSvg.of(URI, "otpauth-qr");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"otpauth-qr\""), svg);
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "no script, no link");
        Matcher firstRun = Pattern.compile("d=\"M(\\d+) (\\d+)h").matcher(svg);
        assertTrue(firstRun.find());
        assertEquals(String.valueOf(QrSvg.QUIET_ZONE), firstRun.group(1), "a finder pattern starts the first row");
        assertEquals(String.valueOf(QrSvg.QUIET_ZONE), firstRun.group(2));
    }

    /** Paints the path's rectangles into pixels, 4 per module, and lets ZXing's reader find the code. */
    private static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertTrue(box.find(), svg);
        int side = Integer.parseInt(box.group(1));
        int scale = 4;
        int[] pixels = new int[side * scale * side * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(svg);
        while (run.find()) {
            int x0 = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int length = Integer.parseInt(run.group(3));
            for (int x = x0; x < x0 + length; x++) {
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        pixels[(y * scale + dy) * side * scale + x * scale + dx] = 0x000000;
                    }
                }
            }
        }
        return Scanner.read(pixels, side * scale, side * scale);
    }
}
