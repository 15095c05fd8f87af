package dev.wirehaven.wireguard.internal.device;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.wirehaven.tun.LinuxTun;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.UdpBind;

/**
 * A Wirehaven device in a child JVM, for {@link WireGuardGoInteropTest}: it is started inside a
 * network namespace (ip netns exec), opens a TUN interface and a UDP socket there, prints READY, and
 * runs until its standard input closes; then it prints the drop counters and exits.
 *
 * <p>Arguments: interface, listen port, own private key (base64), peer public key (base64), peer
 * endpoint host, peer endpoint port, then the peer's allowed IPs.
 */
public final class InteropNode {

    private InteropNode() {
    }

    /** {@code -Dinterop.workers=N} sets the crypto workers, for comparing pipeline choices by hand. */
    private static DeviceOptions options() {
        DeviceOptions o = DeviceOptions.defaults();
        String workers = System.getProperty("interop.workers");
        return workers == null ? o : o.withCryptoWorkers(Integer.parseInt(workers));
    }

    public static void main(String[] args) throws Exception {
        TunDevice tun = LinuxTun.open(args[0], 1420);
        int port = Integer.parseInt(args[1]);
        Key priv = Key.fromBase64(args[2]);
        Key peer = Key.fromBase64(args[3]);
        InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getByName(args[4]), Integer.parseInt(args[5]));
        try (WireGuardDevice device = WireGuard.createDevice(args[0], tun, UdpBind::open, options())) {
            device.configure(tx -> {
                tx.privateKey(priv);
                tx.listenPort(port);
                var p = tx.peer(peer, false);
                p.endpoint(endpoint);
                for (int i = 6; i < args.length; i++) {
                    p.addAllowedIp(Cidr.parse(args[i]));
                }
            });
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (in.readLine() != null) {
                System.out.println("SNAPSHOT " + device.snapshot().peers() + " drops " + device.snapshot().drops());
                System.out.flush();
            }
            System.out.println("DROPS " + device.snapshot().drops());
        }
    }
}
