package dev.wirehaven.qr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * A black and white image as a PNG file (ISO/IEC 15948): 1-bit grayscale, the signature, IHDR, one
 * zlib-compressed IDAT and IEND, each chunk with its CRC-32. Written here rather than through
 * {@code javax.imageio} because ImageIO lives in the {@code java.desktop} module, which a headless or
 * jlinked runtime may leave out, and its plugin registry looks classes up through the thread's context
 * class loader, which in OSGi is not the bundle's; a QR code needs none of what ImageIO offers.
 */
public final class MonochromePng {

    /** Whether the pixel at (x, y) is black. */
    @FunctionalInterface
    public interface Pixels {
        boolean isBlack(int x, int y);
    }

    /** The eight bytes that open every PNG file: \x89 P N G CR LF ^Z LF. */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MonochromePng() {}

    /** The PNG file of a {@code width} by {@code height} image whose pixels are black where {@code pixels} says. */
    public static byte[] encode(int width, int height, Pixels pixels) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        chunk(
                png,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 1) // bit depth
                        .put((byte) 0) // colour type: grayscale; then deflate, adaptive filtering, no interlace (all 0)
                        .array());
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(image)) {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++) {
                Arrays.fill(row, (byte) 0); // byte 0: filter type None
                for (int x = 0; x < width; x++) {
                    if (!pixels.isBlack(x, y)) {
                        row[1 + x / 8] |= (byte) (0x80 >>> (x % 8)); // in 1-bit grayscale, 1 is white
                    }
                }
                zlib.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        chunk(png, "IDAT", image.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** Length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
