package dev.wirehaven.client;

import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.client.internal.net.Ip;
import dev.wirehaven.client.internal.net.LinuxHostNetwork;
import dev.wirehaven.client.internal.net.ResolvConf;
import dev.wirehaven.client.internal.net.UndoJournal;
import dev.wirehaven.tun.LinuxTun;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.UserspaceApi;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.conn.UdpBind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A real tunnel on Linux: a TUN interface, UDP sockets, addresses and routes through iproute2's
 * {@code ip} (policy routing for a full tunnel, see the README), DNS through {@code resolvconf} or
 * {@code /etc/resolv.conf}, and the device's userspace API socket so that {@code wg show} sees it.
 * Needs root or CAP_NET_ADMIN.
 *
 * <p>What outlives the interface (policy rules, DNS) is journalled in the run directory, so that
 * {@link #recover} can undo it after a client died without cleaning up. The run directory must be this
 * process's user's, writable by no one else and not a symbolic link (it is created so when missing),
 * its files are keyed by network namespace, and {@code ip} and {@code resolvconf} are the system's own,
 * never ones found on {@code PATH}: see {@code RunDirectory} and {@code SystemPrograms}.
 */
public final class LinuxPlatform implements TunnelPlatform {

    /** The run directory of the command line: state files and undo journals, owner-only. */
    public static final Path DEFAULT_RUN_DIRECTORY = Path.of("/run/wirehaven-client");

    private final Path runDirectory;
    private final Path resolvConf;
    private final Path uapiDirectory;
    private final DeviceOptions deviceOptions;
    private final Consumer<String> notices;

    private LinuxPlatform(Builder b) {
        this.runDirectory = b.runDirectory;
        this.resolvConf = b.resolvConf;
        this.uapiDirectory = b.uapiDirectory;
        this.deviceOptions = b.deviceOptions;
        this.notices = b.notices;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client keeps the one-packet-per-call TUN and the {@code DatagramChannel} bind unless the system
     * property {@value #BATCHED_PROPERTY} is true: with the batched paths (TUN offloads, {@code
     * LinuxUdpBind}) its Ctrl-C teardown did not finish in two full test runs (SessionsEndToEndIT, not
     * reproduced alone). With the property, SessionsEndToEndIT passed three times (2026-12-05); the failures
     * seen on the way were runs started with SIGINT ignored, which every JVM below inherits (see the
     * root README, Tests), so the cause of the first two is still open, and the default stays until
     * more runs say otherwise. The server and {@code wirehaven-wg} use the batched paths always.
     */
    @Override
    public TunDevice openTun(String interfaceName, int mtu) throws IOException {
        return LinuxTun.open(interfaceName, mtu, batched());
    }

    @Override
    public BindFactory binds() {
        return batched() ? BindFactory.system() : UdpBind::open;
    }

    /** System property that puts the client on the server's batched data paths (false by default). */
    static final String BATCHED_PROPERTY = "wirehaven.client.batched";

    private static boolean batched() {
        return Boolean.getBoolean(BATCHED_PROPERTY);
    }

    @Override
    public DeviceOptions deviceOptions() {
        return deviceOptions;
    }

    @Override
    public HostNetwork configure(String interfaceName, NetworkSettings settings) throws IOException {
        RunDirectory run = RunDirectory.of(runDirectory);
        run.create();
        ResolvConf dns = ResolvConf.forHost(resolvConf, run.file(interfaceName, ".resolv.conf"), interfaceName);
        return LinuxHostNetwork.configure(
                interfaceName, settings, Ip.inThisNamespace(), dns, new UndoJournal(run, interfaceName), notices);
    }

    @Override
    public AutoCloseable publish(WireGuardDevice device) throws IOException {
        if (uapiDirectory == null) {
            return TunnelPlatform.super.publish(device);
        }
        return UserspaceApi.serve(device, uapiDirectory, m -> {}, notices);
    }

    /**
     * Undoes what a client on {@code interfaceName} left behind when it died (policy rules, DNS),
     * from its journal in the run directory.
     *
     * @param report told what was undone, a sentence each
     * @return true when there was anything to undo
     * @throws IOException when the run directory or the journal is refused (see the class comment), with the
     *     file and what to do; nothing was undone then
     */
    public boolean recover(String interfaceName, Consumer<String> report) throws IOException {
        RunDirectory run = RunDirectory.of(runDirectory);
        if (!run.checkIfPresent()) {
            return false;
        }
        return new UndoJournal(run, interfaceName).replay(Ip.inThisNamespace(), resolvConf, report);
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** Configures a {@link LinuxPlatform}. */
    public static final class Builder {
        private Path runDirectory = DEFAULT_RUN_DIRECTORY;
        private Path resolvConf = Path.of("/etc/resolv.conf");
        private Path uapiDirectory = UserspaceApi.DEFAULT_DIRECTORY;
        private DeviceOptions deviceOptions = DeviceOptions.defaults();
        private Consumer<String> notices = m -> {};

        private Builder() {}

        /** Where undo journals and the DNS backup go (default {@value}-like {@code /run/wirehaven-client}). */
        public Builder runDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The resolver file to replace when {@code resolvconf} is not used (default {@code /etc/resolv.conf}). */
        public Builder resolvConf(Path file) {
            this.resolvConf = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Where to serve the userspace API socket ({@code /var/run/wireguard} by default); {@code null} for not at all. */
        public Builder uapiDirectory(Path dir) {
            this.uapiDirectory = dir;
            return this;
        }

        public Builder deviceOptions(DeviceOptions options) {
            this.deviceOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Told what the platform did that a person should know (routing choices, a resolver left alone). */
        public Builder notices(Consumer<String> sink) {
            this.notices = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public LinuxPlatform build() {
            return new LinuxPlatform(this);
        }
    }
}
