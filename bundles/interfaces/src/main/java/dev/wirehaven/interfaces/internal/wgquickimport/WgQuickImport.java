package dev.wirehaven.interfaces.internal.wgquickimport;

import dev.wirehaven.interfaces.internal.wireguard.InterfaceSettings;
import dev.wirehaven.interfaces.internal.wireguard.StaticPeer;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import dev.wirehaven.wireguard.wgquick.InterfaceSection;
import dev.wirehaven.wireguard.wgquick.PeerSection;
import dev.wirehaven.wireguard.wgquick.WgQuickConfig;
import dev.wirehaven.wireguard.wgquick.WgQuickFormatException;
import dev.wirehaven.wireguard.wgquick.WgQuickParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Imports a wg-quick server file (such as {@code /etc/wireguard/wg0.conf}, or the seed's server
 * example) as one interface of this server: the private key goes owner-only into
 * {@code data/keys/<name>.key}, preshared keys beside it, and
 * {@code etc/dev.wirehaven.wireguard.interface-<name>.cfg} gets the rest, which FileInstall puts
 * into effect (at once while the server runs). The report says, key by key, where each went, and
 * what was not imported and why.
 *
 * <p>Nothing is written unless the whole file can be imported: a file that wg-quick would reject,
 * or settings that the server would refuse, are reported with the file, the line or key and the
 * fix, and leave {@code etc/} and {@code data/} as they were. An existing configuration or a
 * different existing key is replaced only when asked ({@code force}).
 *
 * <p>Runs without the OSGi framework (from {@code bin/wirehaven import-wg-quick}, also while the
 * server is stopped) as well as inside it (the gogo command): it only reads and writes files.
 */
public final class WgQuickImport {

    /**
     * @param source the wg-quick file
     * @param name the interface name, or {@code null} for the file's name without {@code .conf}, as
     *        wg-quick names it
     * @param force whether an existing configuration of the interface and other keys in its key
     *        files may be replaced
     */
    public record Request(Path source, String name, boolean force) {}

    static final String CONF_SUFFIX = ".conf";
    /** What separates the commands of a hook and the peers in the written file. */
    private static final String COMMAND_SEPARATOR = "\\n";

    private static final String PEER_SEPARATOR = ";";

    private final Path etcDirectory;
    private final Path dataDirectory;

    /**
     * @param etcDirectory where FileInstall reads configurations ({@code <home>/etc})
     * @param dataDirectory the server's data directory ({@code <home>/data})
     */
    public WgQuickImport(Path etcDirectory, Path dataDirectory) {
        this.etcDirectory = etcDirectory.toAbsolutePath().normalize();
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
    }

    /** The configuration file of interface {@code name}. */
    public Path configurationFile(String name) {
        return etcDirectory.resolve(InterfaceSettings.FACTORY_PID + "-" + name + ".cfg");
    }

    /**
     * Imports the file.
     *
     * @return the report for the operator
     * @throws ImportException with what is wrong and how to fix it; nothing was written then
     */
    public String run(Request request) throws ImportException {
        Path source = request.source();
        WgQuickConfig config = parse(source);
        String name = interfaceName(request);
        Path cfg = configurationFile(name);
        if (Files.exists(cfg) && !request.force()) {
            throw new ImportException(cfg + " already exists: interface " + name + " is configured. Remove that file,"
                    + " import under another name with --name, or replace it with --force (a running " + name
                    + " is then recreated from the imported settings)");
        }
        ImportReport report = new ImportReport(source, name);
        InterfaceSection s = config.iface();

        String keyFile = InterfaceSettings.KEYS_DIRECTORY + "/" + name + ".key";
        List<KeyFileWrite> keyWrites = new ArrayList<>();
        keyWrites.add(new KeyFileWrite(dataDirectory.resolve(keyFile), s.privateKey(), "private key"));
        report.imported(
                "PrivateKey",
                "privateKeyFile = " + keyFile + " (" + dataDirectory.resolve(keyFile) + ", owner-only); public key "
                        + Keys.publicFrom(s.privateKey()).toBase64());

        List<String> addresses =
                s.addresses().stream().map(InterfaceAddress::toString).toList();
        if (addresses.isEmpty()) {
            report.notImported(
                    "Address",
                    "not set: the interface gets no address of its own; the session flow"
                            + " needs one in its subnet, so add addresses before clients connect");
        } else {
            report.imported("Address", InterfaceSettings.ADDRESSES + " = " + String.join(", ", addresses));
        }

        int port = s.listenPort().orElse(0);
        if (port == 0) {
            port = InterfaceSettings.DEFAULT_LISTEN_PORT;
            report.imported(
                    "ListenPort",
                    InterfaceSettings.LISTEN_PORT + " = " + port + " ("
                            + (s.listenPort().isPresent() ? "0 in the file" : "not in the file")
                            + ", where wg picks a random port; a server needs a fixed"
                            + " one that its clients know)");
        } else {
            report.imported("ListenPort", InterfaceSettings.LISTEN_PORT + " = " + port);
        }

        int mtu = mtu(source, s, report);

        List<String> routes = PeerRoutes.of(s, config.peers(), report);
        // wg-quick routes into the main table only with Table = auto, and the server does that itself
        boolean routePeerSubnets = s.table().orElse("auto").equals("auto");
        List<String> postUp = new ArrayList<>(routes);
        postUp.addAll(s.postUp());
        hooks(
                report,
                "PreUp",
                InterfaceSettings.PRE_UP,
                s.preUp(),
                "run before the interface is created; if one fails the interface is not created, as with wg-quick");
        hooks(
                report,
                "PostUp",
                InterfaceSettings.POST_UP,
                s.postUp(),
                "run once the interface is up; a failing one is logged as an ERROR and the interface stays up");
        hooks(report, "PreDown", InterfaceSettings.PRE_DOWN, s.preDown(), "run before the interface is removed");
        hooks(report, "PostDown", InterfaceSettings.POST_DOWN, s.postDown(), "run after the interface is removed");

        List<String> peers = new ArrayList<>();
        for (int i = 0; i < config.peers().size(); i++) {
            PeerSection peer = config.peers().get(i);
            Path psk = null;
            if (peer.presharedKey().isPresent()) {
                String pskFile = InterfaceSettings.KEYS_DIRECTORY + "/" + name + "-peer" + (i + 1) + ".psk";
                keyWrites.add(new KeyFileWrite(
                        dataDirectory.resolve(pskFile), peer.presharedKey().get(), "preshared key"));
                psk = Path.of(pskFile);
            }
            peers.add(new StaticPeer(
                            peer.publicKey(),
                            peer.allowedIps(),
                            peer.endpoint().orElse(null),
                            peer.persistentKeepalive().orElse(0),
                            psk)
                    .toString());
        }
        if (!peers.isEmpty()) {
            long psks = config.peers().stream()
                    .filter(p -> p.presharedKey().isPresent())
                    .count();
            report.imported(
                    "[Peer]",
                    InterfaceSettings.PEERS + ": " + peers.size() + " static peer"
                            + (peers.size() == 1 ? "" : "s")
                            + (psks == 0
                                    ? ""
                                    : ", their preshared keys in "
                                            + dataDirectory.resolve(InterfaceSettings.KEYS_DIRECTORY) + "/" + name
                                            + "-peer<N>.psk (owner-only)")
                            + "; the session flow adds its clients beside them");
        }
        notImported(s, report);
        literalNames(source, name, s, report);

        CfgFileText text = new CfgFileText()
                .comment("WireGuard interface " + name + ", imported from "
                        + source.toAbsolutePath().normalize()
                        + "\nby 'wirehaven import-wg-quick'. FileInstall applies this file while the server runs:"
                        + "\nedit it here or in the web console (Configuration > Wirehaven WireGuard interface)."
                        + "\nThe settings are explained in " + InterfaceSettings.FACTORY_PID + "-wg0.cfg.example.")
                .property(InterfaceSettings.NAME, name)
                .property(InterfaceSettings.LISTEN_PORT, Integer.toString(port));
        if (!addresses.isEmpty()) {
            text.property(InterfaceSettings.ADDRESSES, String.join(", ", addresses));
        }
        text.property(InterfaceSettings.MTU, Integer.toString(mtu))
                .property(InterfaceSettings.PRIVATE_KEY_FILE, keyFile);
        if (!routePeerSubnets) {
            text.property(InterfaceSettings.ROUTE_PEER_SUBNETS, "false");
        }
        optionalList(text, InterfaceSettings.PRE_UP, s.preUp(), COMMAND_SEPARATOR);
        optionalList(text, InterfaceSettings.POST_UP, postUp, COMMAND_SEPARATOR);
        optionalList(text, InterfaceSettings.PRE_DOWN, s.preDown(), COMMAND_SEPARATOR);
        optionalList(text, InterfaceSettings.POST_DOWN, s.postDown(), COMMAND_SEPARATOR);
        optionalList(text, InterfaceSettings.PEERS, peers, PEER_SEPARATOR);

        readableByFileInstall(source, "PreUp", s.preUp());
        readableByFileInstall(source, "PostUp", s.postUp());
        readableByFileInstall(source, "PreDown", s.preDown());
        readableByFileInstall(source, "PostDown", s.postDown());
        checkTheServerAccepts(source, name, cfg, port, addresses, mtu, keyFile, s, postUp, peers, routePeerSubnets);
        for (KeyFileWrite write : keyWrites) {
            write.prepare(request.force(), name);
        }
        try {
            for (KeyFileWrite write : keyWrites) {
                write.write();
            }
            writeConfiguration(cfg, text.toString());
        } catch (IOException e) {
            throw new ImportException("cannot write the imported configuration: " + e.getMessage()
                    + "; run the import as the user that runs the server (usually root)");
        }
        return report.render(cfg);
    }

    private static WgQuickConfig parse(Path source) throws ImportException {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ImportException(
                    source + " does not exist; give the path of a wg-quick file such as" + " /etc/wireguard/wg0.conf");
        } catch (AccessDeniedException e) {
            throw new ImportException(source + " cannot be read (permission denied); wg-quick files are owner-only,"
                    + " so run the import as their owner (usually root)");
        } catch (IOException e) {
            throw new ImportException(source + " cannot be read: " + e.getMessage());
        }
        try {
            return WgQuickParser.parse(source.toString(), text);
        } catch (WgQuickFormatException e) {
            throw new ImportException(e.getMessage() + "\n" + source + " was not imported; nothing was written."
                    + " Fix the lines above (wg-quick would refuse them too) and import it again.");
        }
    }

    private static String interfaceName(Request request) throws ImportException {
        if (request.name() != null) {
            if (!InterfaceSettings.isValidName(request.name())) {
                throw new ImportException("--name " + request.name() + " is not a valid interface name; use 1 to 15"
                        + " letters, digits, '_', '.' or '-', not starting with '.' or '-', e.g. wg0");
            }
            return request.name();
        }
        String file = fileName(request.source());
        String name = file.endsWith(CONF_SUFFIX) ? file.substring(0, file.length() - CONF_SUFFIX.length()) : file;
        if (!InterfaceSettings.isValidName(name)) {
            throw new ImportException("cannot name the interface after the file " + file + " (wg-quick names it"
                    + " after the file without .conf); give a name with --name, e.g. --name wg0");
        }
        return name;
    }

    /** The server refuses MTUs that wg-quick takes; they are reported here with the file's key. */
    private static int mtu(Path source, InterfaceSection s, ImportReport report) throws ImportException {
        if (s.mtu().isEmpty()) {
            report.imported(
                    "MTU",
                    InterfaceSettings.MTU + " = " + InterfaceSettings.DEFAULT_MTU + " (not in the file:"
                            + " wg-quick derives it from the route to the peers, which gives 1420 on a 1500-byte link)");
            return InterfaceSettings.DEFAULT_MTU;
        }
        int mtu = s.mtu().getAsInt();
        boolean ipv6 = s.addresses().stream().anyMatch(a -> !a.isIpv4());
        int least = ipv6 ? InterfaceSettings.MIN_MTU_IPV6 : InterfaceSettings.MIN_MTU;
        if (mtu < least) {
            throw new ImportException(source + ": MTU: " + mtu + " is below " + least + ", the least the server takes"
                    + (ipv6 ? " for an interface with IPv6 addresses" : "") + "; raise MTU in " + source
                    + " (1420 suits most links) and import it again. Nothing was written.");
        }
        report.imported("MTU", InterfaceSettings.MTU + " = " + mtu);
        return mtu;
    }

    private static void hooks(
            ImportReport report, String wgQuickKey, String setting, List<String> commands, String what) {
        if (!commands.isEmpty()) {
            report.imported(
                    wgQuickKey,
                    setting + ": " + commands.size() + " command" + (commands.size() == 1 ? "" : "s")
                            + " (/bin/sh -c, %i is the interface name), " + what);
        }
    }

    /**
     * Hooks often name the interface literally (the seed's example does: {@code -i wg0}). Under
     * another name they would act on the wrong interface, which the operator has to decide about.
     */
    private static void literalNames(Path source, String name, InterfaceSection s, ImportReport report) {
        String file = fileName(source);
        String fileName = file.endsWith(CONF_SUFFIX) ? file.substring(0, file.length() - CONF_SUFFIX.length()) : file;
        if (fileName.equals(name) || !InterfaceSettings.isValidName(fileName)) {
            return;
        }
        Pattern word = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(fileName) + "(?![A-Za-z0-9_.-])");
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<String>> hook : Map.of(
                        "PreUp", s.preUp(), "PostUp", s.postUp(), "PreDown", s.preDown(), "PostDown", s.postDown())
                .entrySet()) {
            if (hook.getValue().stream().anyMatch(c -> word.matcher(c).find())) {
                keys.add(hook.getKey());
            }
        }
        if (!keys.isEmpty()) {
            keys.sort(null);
            report.check(
                    String.join(", ", keys),
                    "name " + fileName + ", the interface of " + file + ", which is " + name
                            + " now; the commands were kept as written: to act on " + name + ", write %i instead");
        }
    }

    private static void notImported(InterfaceSection s, ImportReport report) {
        if (!s.dnsServers().isEmpty() || !s.dnsSearchDomains().isEmpty()) {
            List<String> dns = new ArrayList<>(
                    s.dnsServers().stream().map(IpAddresses::format).toList());
            dns.addAll(s.dnsSearchDomains());
            report.notImported(
                    "DNS",
                    String.join(", ", dns) + ": wg-quick points this machine's own resolver at it"
                            + " while the interface is up; the server leaves the host's DNS alone. The DNS that clients get"
                            + " is the dns setting in etc/dev.wirehaven.server.sessions.cfg");
        }
        if (s.saveConfig()) {
            report.notImported(
                    "SaveConfig",
                    "wg-quick writes the running peers back into its file when the"
                            + " interface goes down; here the .cfg file is the configuration (static peers are edited in"
                            + " peers and applied without recreating the interface) and the session flow's peers are kept"
                            + " in the server's store");
        }
        if (s.fwMark().isPresent() && s.fwMark().getAsLong() != 0) {
            report.notImported(
                    "FwMark",
                    "the server's interfaces set no firewall mark on their UDP packets; rules"
                            + " that match it need another match (for example the listen port)");
        }
    }

    private static void optionalList(CfgFileText text, String key, List<String> items, String separator) {
        if (!items.isEmpty()) {
            text.list(key, items, separator);
        }
    }

    /** Refuses a hook command that FileInstall would read back as another one ({@link CfgFileText#unreadable}). */
    private static void readableByFileInstall(Path source, String wgQuickKey, List<String> commands)
            throws ImportException {
        for (String command : commands) {
            String why = CfgFileText.unreadable(command);
            if (why != null) {
                throw new ImportException(source + ": " + wgQuickKey + ": the command '"
                        + CfgFileText.printable(command) + "' " + why + ", so the server would run another"
                        + " command; write the shell variable as ${__...} or put the command in a script and call"
                        + " that, then import again. Nothing was written.");
            }
        }
    }

    /** Reads the written settings as the server will, so that an import never leaves a file the server refuses. */
    private void checkTheServerAccepts(
            Path source,
            String name,
            Path cfg,
            int port,
            List<String> addresses,
            int mtu,
            String keyFile,
            InterfaceSection s,
            List<String> postUp,
            List<String> peers,
            boolean routePeerSubnets)
            throws ImportException {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", InterfaceSettings.FACTORY_PID + "~" + name);
        properties.put(ConfigurationOrigin.FILEINSTALL_FILENAME, cfg.toUri().toString());
        properties.put(InterfaceSettings.NAME, name);
        properties.put(InterfaceSettings.LISTEN_PORT, Integer.toString(port));
        properties.put(InterfaceSettings.ADDRESSES, addresses.toArray(String[]::new));
        properties.put(InterfaceSettings.MTU, Integer.toString(mtu));
        properties.put(InterfaceSettings.PRIVATE_KEY_FILE, keyFile);
        properties.put(InterfaceSettings.PRE_UP, s.preUp().toArray(String[]::new));
        properties.put(InterfaceSettings.POST_UP, postUp.toArray(String[]::new));
        properties.put(InterfaceSettings.PRE_DOWN, s.preDown().toArray(String[]::new));
        properties.put(InterfaceSettings.POST_DOWN, s.postDown().toArray(String[]::new));
        properties.put(InterfaceSettings.PEERS, peers.toArray(String[]::new));
        properties.put(InterfaceSettings.ROUTE_PEER_SUBNETS, Boolean.toString(routePeerSubnets));
        try {
            InterfaceSettings.from(properties, dataDirectory);
        } catch (RuntimeException e) {
            throw new ImportException(source + " cannot be imported, the server would refuse its settings: "
                    + e.getMessage() + ". Nothing was written.");
        }
    }

    /** The file's own name; the whole path for one that has none (a root, which was not read as a file anyway). */
    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /** Written beside and renamed, so that FileInstall never reads half a file. */
    private static void writeConfiguration(Path cfg, String text) throws IOException {
        Path directory = cfg.toAbsolutePath().getParent();
        if (directory == null) {
            throw new IOException(cfg + " is not a file path");
        }
        Files.createDirectories(directory);
        // FileInstall's filter takes only *.cfg and *.config: the temporary name is ignored
        Path tmp = cfg.resolveSibling("." + cfg.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
        Files.move(tmp, cfg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
