package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads wg-quick(8) files such as {@code /etc/wireguard/wg0.conf}. It follows wg-quick where
 * wg-quick is lenient (keys and section names in any case, {@code #} starting a comment anywhere
 * on a line, {@code Address}, {@code DNS}, {@code AllowedIPs} and the hooks repeatable) and
 * rejects what wg-quick or wg(8) would reject, such as an unknown key. It is stricter in one
 * place: a single-valued key given twice is an error, since the silent "last one wins" of
 * wg(8) hides editing mistakes.
 *
 * <p>Every problem in the file is collected and reported at once, each with the file, line, key
 * and a fix. No value of a key ever appears in a message.
 */
public final class WgQuickParser {

    private enum Section {
        NONE,
        INTERFACE,
        PEER
    }

    private static final String GENKEY = "generate one with `wg genkey`";
    private static final String PUBKEY = "generate one with `wg genkey | wg pubkey`";
    private static final String GENPSK = "generate one with `wg genpsk`";

    private static final Map<String, String> INTERFACE_KEYS = canonical(
            "PrivateKey",
            "Address",
            "ListenPort",
            "DNS",
            "MTU",
            "Table",
            "PreUp",
            "PostUp",
            "PreDown",
            "PostDown",
            "SaveConfig",
            "FwMark");
    private static final Map<String, String> PEER_KEYS =
            canonical("PublicKey", "PresharedKey", "AllowedIPs", "Endpoint", "PersistentKeepalive");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final String NOT_A_LINE =
            "this line is neither a [Section] header nor `Key = value`; fix or remove it";
    private static final Set<String> REPEATABLE =
            Set.of("Address", "DNS", "AllowedIPs", "PreUp", "PostUp", "PreDown", "PostDown");

    private final String source;
    private final List<WgQuickProblem> problems = new ArrayList<>();
    private Section section = Section.NONE;
    private int sectionLine;
    private final Map<String, Integer> seenInSection = new HashMap<>();
    private InterfaceSection.Builder iface;
    private int ifaceLine;
    private PeerSection.Builder peer;
    private final List<PeerSection.Builder> peers = new ArrayList<>();
    private final Map<Key, Integer> peerKeyLines = new HashMap<>();

    private WgQuickParser(String source) {
        this.source = source;
    }

    /** Reads a file; its name appears in the messages. */
    public static WgQuickConfig parse(Path file) throws IOException, WgQuickFormatException {
        Path name = file.getFileName(); // null only for a root, which Files.readString refuses anyway
        return parse(name == null ? file.toString() : name.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads the text of a wg-quick file.
     *
     * @param source the name to use in messages, usually the file name
     */
    public static WgQuickConfig parse(String source, String text) throws WgQuickFormatException {
        WgQuickParser parser = new WgQuickParser(source);
        return parser.read(text);
    }

    private WgQuickConfig read(String text) throws WgQuickFormatException {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            readLine(i + 1, line);
        }
        endSection();
        if (iface == null) {
            problems.add(new WgQuickProblem(
                    source,
                    1,
                    "[Interface]",
                    "no [Interface] section; a wg-quick file needs one, with at least `PrivateKey = ...`"));
        }
        if (!problems.isEmpty()) {
            throw new WgQuickFormatException(problems);
        }
        return new WgQuickConfig(
                iface.build(), peers.stream().map(PeerSection.Builder::build).toList());
    }

    private void readLine(int number, String raw) {
        // wg-quick cuts every line at its first '#', even inside a PostUp command; so do we, so
        // that a file means the same thing to both
        int hash = raw.indexOf('#');
        String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("[")) {
            startSection(number, line);
            return;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            problems.add(new WgQuickProblem(source, number, null, NOT_A_LINE));
            return;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        if (!KEY_NAME.matcher(key).matches()) {
            // not echoed: a pasted key alone on a line ends in '=' and would otherwise print as a key name
            problems.add(new WgQuickProblem(source, number, null, NOT_A_LINE));
            return;
        }
        switch (section) {
            case NONE ->
                problems.add(new WgQuickProblem(
                        source, number, key, "outside any section; put it under [Interface] or [Peer]"));
            case INTERFACE -> interfaceKey(number, key, value);
            case PEER -> peerKey(number, key, value);
        }
    }

    private void startSection(int number, String line) {
        endSection();
        String name = line.endsWith("]") ? line.substring(1, line.length() - 1).strip() : null;
        sectionLine = number;
        seenInSection.clear();
        if ("Interface".equalsIgnoreCase(name)) {
            if (iface != null) {
                problems.add(new WgQuickProblem(
                        source,
                        number,
                        "[Interface]",
                        "a second [Interface] section (the first is on line " + ifaceLine + "); merge them into one"));
            } else {
                iface = InterfaceSection.builder(null);
                ifaceLine = number;
            }
            // a second section is still read, so that its own problems are reported too
            section = Section.INTERFACE;
        } else if ("Peer".equalsIgnoreCase(name)) {
            peer = PeerSection.builder(null);
            section = Section.PEER;
        } else {
            problems.add(new WgQuickProblem(
                    source, number, line, "unknown section; wg-quick knows only [Interface] and [Peer]"));
            section = Section.NONE;
        }
    }

    private void endSection() {
        if (section == Section.INTERFACE
                && !seenInSection.containsKey("PrivateKey")
                && iface != null
                && !iface.hasPrivateKey()) {
            problems.add(new WgQuickProblem(
                    source,
                    sectionLine,
                    "PrivateKey",
                    "missing from [Interface]; add `PrivateKey = ...` and " + GENKEY));
        }
        if (section == Section.PEER) {
            if (peer.publicKey() == null) {
                if (!seenInSection.containsKey("PublicKey")) {
                    problems.add(
                            new WgQuickProblem(
                                    source,
                                    sectionLine,
                                    "PublicKey",
                                    "missing from [Peer]; add the peer's `PublicKey = ...` (the peer prints it with `wg show`)"));
                }
            } else {
                Integer first = peerKeyLines.putIfAbsent(peer.publicKey(), seenInSection.get("PublicKey"));
                if (first != null) {
                    problems.add(new WgQuickProblem(
                            source,
                            seenInSection.get("PublicKey"),
                            "PublicKey",
                            "the same peer as on line " + first
                                    + "; wg(8) would merge the two, so merge them into one [Peer]"));
                }
            }
            peers.add(peer);
        }
        section = Section.NONE;
    }

    private void interfaceKey(int number, String written, String value) {
        String key = INTERFACE_KEYS.get(written.toLowerCase(Locale.ROOT));
        if (key == null) {
            unknownKey(number, written, PEER_KEYS, "[Peer]", INTERFACE_KEYS, "[Interface]");
            return;
        }
        if (!firstOrRepeatable(number, key) || !hasValue(number, key, value)) {
            return;
        }
        InterfaceSection.Builder b = iface;
        switch (key) {
            case "PrivateKey" -> apply(number, key, () -> b.privateKey(WgQuickValues.key(value, GENKEY)));
            case "Address" -> eachItem(number, key, value, item -> b.address(WgQuickValues.interfaceAddress(item)));
            case "ListenPort" -> apply(number, key, () -> b.listenPort(WgQuickValues.listenPort(value)));
            case "DNS" ->
                eachItem(number, key, value, item -> {
                    if (WgQuickValues.looksLikeDnsServer(item)) {
                        b.dnsServer(WgQuickValues.ipLiteral(item));
                    } else {
                        b.dnsSearchDomain(WgQuickValues.searchDomain(item));
                    }
                });
            case "MTU" -> apply(number, key, () -> b.mtu(WgQuickValues.mtu(value)));
            case "Table" -> apply(number, key, () -> b.table(WgQuickValues.table(value)));
            case "SaveConfig" -> apply(number, key, () -> b.saveConfig(WgQuickValues.bool(value)));
            case "FwMark" -> apply(number, key, () -> b.fwMark(WgQuickValues.fwMark(value)));
            case "PreUp" -> b.preUp(value);
            case "PostUp" -> b.postUp(value);
            case "PreDown" -> b.preDown(value);
            case "PostDown" -> b.postDown(value);
            default -> throw new AssertionError(key);
        }
    }

    private void peerKey(int number, String written, String value) {
        String key = PEER_KEYS.get(written.toLowerCase(Locale.ROOT));
        if (key == null) {
            unknownKey(number, written, INTERFACE_KEYS, "[Interface]", PEER_KEYS, "[Peer]");
            return;
        }
        if (!firstOrRepeatable(number, key)) {
            return;
        }
        PeerSection.Builder b = peer;
        if (key.equals("AllowedIPs")) {
            // an empty AllowedIPs is legal in wg(8): the peer may send and receive nothing yet
            if (!value.isEmpty()) {
                eachItem(number, key, value, item -> b.allowedIp(WgQuickValues.prefix(item)));
            }
            return;
        }
        if (!hasValue(number, key, value)) {
            return;
        }
        switch (key) {
            case "PublicKey" -> apply(number, key, () -> b.publicKey(WgQuickValues.key(value, PUBKEY)));
            case "PresharedKey" -> apply(number, key, () -> b.presharedKey(WgQuickValues.key(value, GENPSK)));
            case "Endpoint" -> apply(number, key, () -> b.endpoint(WgQuickValues.endpoint(value)));
            case "PersistentKeepalive" ->
                apply(number, key, () -> {
                    int seconds = WgQuickValues.keepalive(value);
                    if (seconds > 0) {
                        b.persistentKeepalive(seconds);
                    }
                });
            default -> throw new AssertionError(key);
        }
    }

    private void unknownKey(
            int number,
            String written,
            Map<String, String> otherKeys,
            String otherSection,
            Map<String, String> ownKeys,
            String ownSection) {
        String elsewhere = otherKeys.get(written.toLowerCase(Locale.ROOT));
        String message = elsewhere != null
                ? "belongs in a " + otherSection + " section, not in " + ownSection + "; move the line there"
                : "unknown key (wg-quick rejects it); " + ownSection + " takes " + String.join(", ", ownKeys.values());
        problems.add(new WgQuickProblem(source, number, written, message));
    }

    private boolean firstOrRepeatable(int number, String key) {
        Integer first = seenInSection.putIfAbsent(key, number);
        if (first != null && !REPEATABLE.contains(key)) {
            problems.add(new WgQuickProblem(
                    source, number, key, "given twice in this section (first on line " + first + "); keep one"));
            return false;
        }
        return true;
    }

    private boolean hasValue(int number, String key, String value) {
        if (value.isEmpty()) {
            problems.add(new WgQuickProblem(source, number, key, "has no value; give one or remove the line"));
            return false;
        }
        return true;
    }

    private void apply(int number, String key, Runnable parseAndSet) {
        try {
            parseAndSet.run();
        } catch (IllegalArgumentException e) {
            problems.add(new WgQuickProblem(source, number, key, e.getMessage()));
        }
    }

    /** Each item of a comma-separated list is checked, so that one line can report several bad items. */
    private void eachItem(int number, String key, String value, Consumer<String> parseAndAdd) {
        for (String raw : value.split(",", -1)) {
            String item = raw.strip();
            if (item.isEmpty()) {
                problems.add(
                        new WgQuickProblem(source, number, key, "an empty item in the list; remove the extra comma"));
                continue;
            }
            apply(number, key, () -> parseAndAdd.accept(item));
        }
    }

    private static Map<String, String> canonical(String... keys) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String k : keys) {
            map.put(k.toLowerCase(Locale.ROOT), k);
        }
        return map;
    }
}
