package dev.wirehaven.qr.testing;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a phone reads from a drawn QR code: ZXing's {@link QRCodeReader}, the detector of the WireGuard
 * Android app and of many camera apps, over ARGB pixels. For the tests of the bundles that draw codes.
 */
public final class Scanner {

    private Scanner() {}

    /** The text that ZXing's reader finds in {@code argb}, with its default hints, as a scanner app reads. */
    public static String read(int[] argb, int width, int height) throws ReaderException {
        return reader(argb, width, height, Map.of());
    }

    /** {@link #read(int[], int, int)} of an image, a PNG as {@code ImageIO} loaded it. */
    public static String read(BufferedImage image) throws ReaderException {
        int w = image.getWidth();
        int h = image.getHeight();
        return read(image.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    /**
     * The same with ZXing's {@code TRY_HARDER}, which searches every row for the finder patterns: for
     * drawings that leave the standard's shape, a terminal's half-size quiet zone for one.
     */
    public static String readTryingHarder(int[] argb, int width, int height) throws ReaderException {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        return reader(argb, width, height, hints);
    }

    /** {@link #readTryingHarder(int[], int, int)} of an image. */
    public static String readTryingHarder(BufferedImage image) throws ReaderException {
        int w = image.getWidth();
        int h = image.getHeight();
        return readTryingHarder(image.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    /** Modules as ARGB pixels, {@code scale} pixels a side each: black where {@code dark} is true, else white. */
    public static int[] pixels(boolean[][] dark, int scale) {
        int w = dark[0].length * scale;
        int h = dark.length * scale;
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                argb[y * w + x] = dark[y / scale][x / scale] ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        return argb;
    }

    private static String reader(int[] argb, int width, int height, Map<DecodeHintType, ?> hints)
            throws ReaderException {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, argb)));
        return new QRCodeReader().decode(bitmap, hints).getText();
    }
}
