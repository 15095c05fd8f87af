package dev.wirehaven.tun.internal.offload;

/** Field offsets of the fixed IPv6 header, RFC 8200 3, named as there. */
public final class Ipv6Header {

    public static final int VERSION = 6;
    /** Version (4 bits), Traffic Class (8 bits), Flow Label (20 bits). */
    public static final int VERSION_CLASS_LABEL = 0;

    public static final int PAYLOAD_LENGTH = 4;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SOURCE_ADDRESS = 8;
    public static final int DESTINATION_ADDRESS = 24;
    public static final int HEADER_LENGTH = 40;
    public static final int ADDRESS_LENGTH = 16;

    private Ipv6Header() {}
}
