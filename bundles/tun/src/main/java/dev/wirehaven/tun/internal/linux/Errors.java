package dev.wirehaven.tun.internal.linux;

import java.io.IOException;

/** Turns an errno into an exception whose message names the operation, the libc text and a remedy. */
final class Errors {

    private Errors() {}

    static IOException of(String operation, int errno) {
        return new IOException(operation + ": " + LibC.describe(errno) + remedy(operation, errno));
    }

    private static String remedy(String operation, int errno) {
        switch (errno) {
            case LibC.EPERM:
            case LibC.EACCES:
                return " — run as root or grant the process CAP_NET_ADMIN (for example "
                        + "setcap cap_net_admin+ep on the java binary, or AmbientCapabilities in a systemd unit)";
            case LibC.ENOENT:
            case LibC.ENXIO:
            case LibC.ENODEV:
                return operation.contains("/dev/net/tun")
                        ? " — load the tun kernel module (modprobe tun) or, in a container, pass the device in "
                                + "(docker run --device /dev/net/tun --cap-add NET_ADMIN)"
                        : " — the interface does not exist (any more) in this network namespace";
            case LibC.EBUSY:
                return " — the name belongs to another interface, or a TUN opened without multi-queue; "
                        + "choose another name or close the other user";
            case LibC.EINVAL:
                return operation.startsWith("TUNSETIFF")
                        ? " — the interface exists with other flags (single- vs multi-queue, TUN vs TAP), "
                                + "or the name is not valid"
                        : "";
            default:
                return "";
        }
    }
}
