package dev.wirehaven.client.internal.qr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * A minimal PNG encoder for black and white images (grayscale, 1 bit per pixel). Written here
 * rather than through javax.imageio so that the bundle needs no java.desktop module, which
 * a headless or jlinked runtime may leave out. Follows the PNG specification (ISO/IEC 15948):
 * signature, IHDR, one zlib IDAT, IEND, each chunk with its CRC-32.
 */
public final class MonochromePng {

    /** Whether the pixel at (x, y) is black. */
    @FunctionalInterface
    public interface Pixels {
        boolean isBlack(int x, int y);
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MonochromePng() {}

    public static byte[] encode(int width, int height, Pixels pixels) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);

        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 1; // bit depth
        header[9] = 0; // colour type: grayscale
        // bytes 10..12: deflate compression, adaptive filtering, no interlace (all 0)
        chunk(png, "IHDR", header);

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(raw)) {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++) {
                Arrays.fill(row, (byte) 0); // filter type 0 (None), then the packed pixels
                for (int x = 0; x < width; x++) {
                    if (!pixels.isBlack(x, y)) {
                        row[1 + x / 8] |= (byte) (0x80 >>> (x % 8)); // 1 is white in 1-bit grayscale
                    }
                }
                zlib.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        chunk(png, "IDAT", raw.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        png.writeBytes(length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] sum = new byte[4];
        putInt(sum, 0, (int) crc.getValue());
        png.writeBytes(sum);
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
