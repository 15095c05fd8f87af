package dev.wirehaven.qr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.wirehaven.qr.QrMatrix.ErrorCorrection;
import dev.wirehaven.qr.QrMatrix.Utf8Marker;
import dev.wirehaven.qr.testing.Scanner;
import dev.wirehaven.qr.testing.UnreadableFirstMask;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The matrices are compared with ZXing's own encodings and read back with ZXing's reader, as a phone's
 * scanner app reads them.
 */
class QrMatrixTest {

    private static final String URI =
            "otpauth://totp/Wirehaven:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Wirehaven&digits=6&period=30";

    @Test
    void aMatrixThatZxingsReaderReadsKeepsTheMaskThatThePenaltyRulesChoose() throws Exception {
        for (ErrorCorrection level : ErrorCorrection.values()) {
            QrMatrix code = QrMatrix.encode(URI, level, Utf8Marker.ALWAYS);

            assertZxingsOwn(zxing(URI, level, true, null), code, level.toString());
            assertEquals(URI, read(code), level.toString());
        }
        String config = UnreadableFirstMask.wgQuickClient("AAlBYelspPBO2HIlCdEfvAAv0/6X6ALJJCf9Zsb2d04=");
        QrMatrix code = QrMatrix.encode(config, ErrorCorrection.L, Utf8Marker.BEYOND_ASCII_ONLY);
        assertZxingsOwn(zxing(config, ErrorCorrection.L, false, null), code, "config");
        assertEquals(config, read(code));
    }

    @Test
    void aTextWhoseFirstChoiceOfMaskDefeatsZxingsReaderGetsTheFirstMaskThatItReads() throws Exception {
        record Case(String text, ErrorCorrection level, Utf8Marker utf8) {}
        List<Case> cases = new ArrayList<>();
        for (String uri : UnreadableFirstMask.ENROLLMENT_URIS) {
            cases.add(new Case(uri, ErrorCorrection.M, Utf8Marker.ALWAYS));
        }
        cases.add(new Case(
                UnreadableFirstMask.wgQuickClient(UnreadableFirstMask.CLIENT_PRIVATE_KEY),
                ErrorCorrection.L,
                Utf8Marker.BEYOND_ASCII_ONLY));
        for (Case c : cases) {
            boolean marked = c.utf8() == Utf8Marker.ALWAYS;
            assertFalse(readsBack(zxing(c.text(), c.level(), marked, null), c.text()), "still a bad input: " + c);

            QrMatrix code = QrMatrix.encode(c.text(), c.level(), c.utf8());

            assertEquals(c.text(), read(code), c.toString());
            int mask = 0;
            while (!same(zxing(c.text(), c.level(), marked, mask), code)) {
                assertFalse(readsBack(zxing(c.text(), c.level(), marked, mask), c.text()), "mask " + mask + " reads");
                mask++;
                assertTrue(mask < 8, "the matrix is ZXing's with one of the 8 masks: " + c);
            }
        }
    }

    @Test
    void theUtf8MarkerIsOnEveryCodeOrOnlyOnTextBeyondAscii() throws Exception {
        assertZxingsOwn(
                zxing(URI, ErrorCorrection.M, true, null), QrMatrix.encode(URI, ErrorCorrection.M, Utf8Marker.ALWAYS));
        assertZxingsOwn(
                zxing(URI, ErrorCorrection.M, false, null),
                QrMatrix.encode(URI, ErrorCorrection.M, Utf8Marker.BEYOND_ASCII_ONLY));
        // the marker is a header in the code's data, so the marked and the unmarked matrices differ
        assertFalse(same(
                zxing(URI, ErrorCorrection.M, false, null),
                QrMatrix.encode(URI, ErrorCorrection.M, Utf8Marker.ALWAYS)));

        String text = "# Büro Zürich, 東京\n" + URI;
        for (Utf8Marker utf8 : Utf8Marker.values()) {
            QrMatrix code = QrMatrix.encode(text, ErrorCorrection.L, utf8);
            assertZxingsOwn(zxing(text, ErrorCorrection.L, true, null), code, utf8.toString());
            assertEquals(text, read(code), utf8.toString());
        }
    }

    @Test
    void aTextTooLongForAnyQrCodeIsRefusedClearly() {
        String huge = "x".repeat(3000);

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> QrMatrix.encode(huge, ErrorCorrection.L, Utf8Marker.BEYOND_ASCII_ONLY));

        assertEquals("the text (3000 characters) is too long for a QR code", e.getMessage());
    }

    @Test
    void outsideTheMatrixIsTheLightQuietZone() {
        QrMatrix code = QrMatrix.encode(URI, ErrorCorrection.M, Utf8Marker.ALWAYS);
        int n = code.size();

        for (int i = -QrMatrix.QUIET_ZONE; i < n + QrMatrix.QUIET_ZONE; i++) {
            for (int border = 1; border <= QrMatrix.QUIET_ZONE; border++) {
                assertFalse(code.darkWithQuietZone(i, -border), "above");
                assertFalse(code.darkWithQuietZone(-border, i), "left");
                assertFalse(code.darkWithQuietZone(i, n - 1 + border), "below");
                assertFalse(code.darkWithQuietZone(n - 1 + border, i), "right");
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                assertEquals(code.isDark(x, y), code.darkWithQuietZone(x, y), x + "," + y);
            }
        }
        assertTrue(code.isDark(0, 0), "a finder pattern's corner is dark");
        assertTrue(code.isDark(n - 1, 0) && code.isDark(0, n - 1));
    }

    @Test
    void itsTextHidesTheModules() {
        QrMatrix code = QrMatrix.encode(URI, ErrorCorrection.M, Utf8Marker.ALWAYS);

        assertEquals("QrMatrix[" + code.size() + "x" + code.size() + " modules]", code.toString());
    }

    /** ZXing's own matrix of {@code text}: its choice of mask where {@code mask} is null. */
    static BitMatrix zxing(String text, ErrorCorrection level, boolean utf8Marked, Integer mask) throws Exception {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.valueOf(level.name()));
        hints.put(EncodeHintType.MARGIN, 0);
        if (utf8Marked) {
            hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        }
        if (mask != null) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    }

    private static boolean same(BitMatrix expected, QrMatrix actual) {
        if (expected.getWidth() != actual.size() || expected.getHeight() != actual.size()) {
            return false;
        }
        for (int y = 0; y < actual.size(); y++) {
            for (int x = 0; x < actual.size(); x++) {
                if (expected.get(x, y) != actual.isDark(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void assertZxingsOwn(BitMatrix expected, QrMatrix actual, String... what) {
        assertTrue(same(expected, actual), "the matrix is ZXing's own " + String.join(" ", what));
    }

    /** What a scanner app reads from the modules drawn black on white, 4 pixels each, with the quiet zone. */
    static String read(QrMatrix code) throws ReaderException {
        return Scanner.read(
                Scanner.pixels(withQuietZone(code.size(), code::darkWithQuietZone), 4), side(code), side(code));
    }

    private static boolean readsBack(BitMatrix m, String text) {
        boolean[][] dark = withQuietZone(
                m.getWidth(), (x, y) -> x >= 0 && y >= 0 && x < m.getWidth() && y < m.getHeight() && m.get(x, y));
        int side = dark.length * 4;
        try {
            return text.equals(Scanner.read(Scanner.pixels(dark, 4), side, side));
        } catch (ReaderException e) {
            return false;
        }
    }

    private static int side(QrMatrix code) {
        return (code.size() + 2 * QrMatrix.QUIET_ZONE) * 4;
    }

    /** Dark modules, by their place in the matrix. */
    private interface Modules {
        boolean dark(int x, int y);
    }

    /** The modules of a {@code size} by {@code size} matrix with the quiet zone around them. */
    private static boolean[][] withQuietZone(int size, Modules dark) {
        int side = size + 2 * QrMatrix.QUIET_ZONE;
        boolean[][] modules = new boolean[side][side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                modules[y][x] = dark.dark(x - QrMatrix.QUIET_ZONE, y - QrMatrix.QUIET_ZONE);
            }
        }
        return modules;
    }
}
