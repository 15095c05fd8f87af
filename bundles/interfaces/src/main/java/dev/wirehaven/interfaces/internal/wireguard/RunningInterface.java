package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.UserspaceApi;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.io.IOException;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface from start to stop: the TUN interface, the WireGuard device on it with its private
 * key and listen port, and the UAPI sockets through which {@code wg} shows and configures it.
 *
 * <p>Started in that order, closed in the reverse one; a start that fails half-way closes what it
 * had opened, so a failed activation leaves no interface and no socket behind.
 */
final class RunningInterface implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningInterface.class);

    private final WireGuardDevice device;
    private final UserspaceApi uapi;

    private RunningInterface(WireGuardDevice device, UserspaceApi uapi) {
        this.device = device;
        this.uapi = uapi;
    }

    /**
     * Creates and starts the interface.
     *
     * @throws IOException with the reason and what to do, e.g. no root, name or port taken
     */
    static RunningInterface start(InterfaceSettings settings, Key privateKey, InterfaceHost host) throws IOException {
        String name = settings.name();
        // fail before touching the network if a live process already serves this name
        UserspaceApi.requireNotServed(host.uapiDirectory(), name);
        TunDevice tun;
        try {
            tun = host.createInterface(settings);
        } catch (IOException e) {
            throw new IOException("cannot create the interface: " + e.getMessage(), e);
        }
        WireGuardDevice device;
        try {
            device = WireGuard.createDevice(name, tun, host.binds(), DeviceOptions.defaults());
        } catch (IOException | RuntimeException e) {
            closeQuietly(tun, e);
            throw new IOException("cannot start the WireGuard device: " + e.getMessage(), e);
        }
        try {
            device.configure(c -> {
                c.privateKey(privateKey);
                c.listenPort(settings.listenPort());
            });
        } catch (ConfigException | RuntimeException e) {
            device.close();
            throw new IOException(portProblem(settings.listenPort(), e), e);
        }
        try {
            UserspaceApi uapi = UserspaceApi.serve(
                    device,
                    host.uapiDirectory(),
                    message -> LOG.debug("{}: {}", name, message),
                    message -> LOG.warn("{}: {}", name, message));
            LOG.info("{}: up; {}", name, device.dataPath()); // which JDK, cipher and I/O paths, once at start
            return new RunningInterface(device, uapi);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw new IOException(
                    "cannot serve the wg tool's socket in " + host.uapiDirectory() + ": " + e.getMessage(), e);
        }
    }

    WireGuardDevice device() {
        return device;
    }

    UserspaceApi uapi() {
        return uapi;
    }

    /** Removes the socket first (so that {@code wg} stops seeing the interface), then the device and the interface. */
    @Override
    public void close() {
        uapi.close();
        device.close();
    }

    /** The device's message speaks of {@code wg set}; an operator of the server changes the configuration instead. */
    private static String portProblem(int port, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "UDP port " + port + " is already in use; set " + InterfaceSettings.LISTEN_PORT
                        + " to a free port, or stop the program that holds it (ss -ulpn sport = :" + port + ")";
            }
        }
        return "cannot listen on UDP port " + port + ": " + e.getMessage();
    }

    private static void closeQuietly(TunDevice tun, Exception failure) {
        try {
            tun.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
