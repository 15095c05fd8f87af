package dev.wirehaven.wireguard.conn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Runs in a child JVM started by UdpBindTest with JVM options that the test JVM itself cannot
 * drop or add: it prints one line per fact, which the test then checks.
 */
public final class UdpBindChildProbe {

    private UdpBindChildProbe() {}

    public static void main(String[] args) throws Exception {
        try (UdpBind bind = UdpBind.open(0)) {
            System.out.println("dualStack=" + bind.isDualStack());
            if ("fwmark".equals(args[0])) {
                try {
                    bind.setFwmark(7);
                    System.out.println("fwmark=set");
                } catch (java.io.IOException e) {
                    System.out.println("fwmark-error=" + e.getMessage());
                }
            } else if ("v4only".equals(args[0])) {
                try (UdpBind peer = UdpBind.open(0)) {
                    bind.send(
                            ByteBuffer.wrap(new byte[] {1}),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.port()));
                    InetSocketAddress from = peer.receive(ByteBuffer.allocate(8));
                    System.out.println("v4-from=" + from.getAddress().getHostAddress() + ":" + from.getPort());
                    try {
                        bind.send(
                                ByteBuffer.wrap(new byte[] {1}),
                                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 9));
                        System.out.println("v6-send=ok");
                    } catch (java.io.IOException e) {
                        System.out.println("v6-send-error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
