package dev.wirehaven.tun.internal.offload;

/** Field offsets and control bits of the TCP header, RFC 9293 3.1, named as there. */
public final class TcpHeader {

    public static final int PROTOCOL_NUMBER = 6;
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQUENCE_NUMBER = 4;
    public static final int ACKNOWLEDGMENT_NUMBER = 8;
    /** Data Offset (high nibble, the header length in 32-bit words) and the reserved bits. */
    public static final int DATA_OFFSET = 12;
    /** The control bits CWR ECE URG ACK PSH RST SYN FIN. */
    public static final int FLAGS = 13;

    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT_POINTER = 18;
    public static final int MIN_HEADER_LENGTH = 20;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private TcpHeader() {}

    /** The header length in bytes (Data Offset x 4). */
    public static int headerLength(byte[] b, int at) {
        return ((b[at + DATA_OFFSET] & 0xf0) >>> 4) * 4;
    }
}
