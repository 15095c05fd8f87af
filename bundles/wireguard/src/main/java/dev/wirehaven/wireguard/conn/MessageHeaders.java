package dev.wirehaven.wireguard.conn;

/**
 * Byte offsets of the structures that {@code recvmmsg(2)} and {@code sendmmsg(2)} take, in the LP64
 * layout of 64-bit Linux (x86-64, aarch64; {@link SocketCalls#supported()} checks for it), under their
 * C field names.
 */
final class MessageHeaders {

    // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; } on LP64
    static final int MMSGHDR_SIZE = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    static final int MSG_LEN = 56;
    // struct iovec { void *iov_base; size_t iov_len; }
    static final int IOVEC_SIZE = 16;
    static final int IOV_BASE = 0;
    static final int IOV_LEN = 8;
    // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the data, 8-byte aligned
    static final int CMSG_LEN = 0;
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;
    static final int CMSG_DATA = 16;
    /** CMSG_SPACE(sizeof(int)): room for one UDP_GRO or UDP_SEGMENT control message. */
    static final int CONTROL_SPACE = 24;

    private MessageHeaders() {}
}
