package dev.wirehaven.tun.internal.offload;

/** Field offsets of the UDP header, RFC 768, named as there. */
public final class UdpHeader {

    public static final int PROTOCOL_NUMBER = 17;
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    /** The length of the header and the data in bytes. */
    public static final int LENGTH = 4;

    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private UdpHeader() {}
}
