package dev.wirehaven.client.internal.net;

import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What a running client changed on the host that outlives its interface (policy rules, DNS), in
 * {@code <run-dir>/<iface>.ns<inode>.undo} ({@link RunDirectory}), rewritten before each change. When a
 * client dies without cleaning up (kill -9, power loss of a namespace), {@code wirehaven-client
 * disconnect}, run as root, replays it; routes need no entry, the kernel drops them with the interface.
 *
 * <p>The journal holds data, never commands: each line is an {@link Entry} of a fixed kind, which
 * replaying maps to a fixed operation with the system's own programs ({@link SystemPrograms}), after
 * checking every argument (a rule is one of the four that {@link RoutePlan} makes, a table one of ours,
 * the resolver file the configured one and its backup ours in the run directory). Journals of older
 * clients named the program to run ({@code ip ...}, the path of {@code resolvconf}), which a file planted
 * by another user could turn into root running anything: they are refused, not read. A journal with an
 * unknown or malformed entry is refused whole, before anything is undone, with the file and the entry
 * named; it stays for a person to look at.
 *
 * <pre>
 * wirehaven-client undo journal 2
 * rule -4 32763 lookup 51820
 * rule -4 32760 to 203.0.113.5/32 lookup main
 * dns-file /etc/resolv.conf /run/wirehaven-client/wh0.ns4026531840.resolv.conf
 * </pre>
 */
public final class UndoJournal {

    /** The first line of a journal of this format. */
    static final String HEADER = "wirehaven-client undo journal 2";

    private static final Pattern RESOLVCONF_NAME = Pattern.compile("([A-Za-z0-9-]{1,32}\\.)?[A-Za-z0-9_=+.-]{1,15}");
    private static final int MAX_LINES = 64;
    private static final int MAX_LINE = 4200;

    /** One thing a client changed and how it is undone; see the class comment for the lines. */
    public sealed interface Entry permits Rule, Resolvconf, ResolvFile, ResolvLink {
        /** The line in the journal. */
        String line();
    }

    /**
     * A policy rule of {@link RoutePlan}: {@code family} {@code -4} or {@code -6}, its priority, and
     * its selector and action (e.g. {@code lookup 51820}).
     */
    public record Rule(String family, int priority, List<String> selector) implements Entry {
        public Rule {
            selector = List.copyOf(selector);
        }

        /** The rule that {@code apply} ({@code -4 rule add <selector...> pref <p>}) adds. */
        static Rule of(List<String> apply) {
            int pref = apply.indexOf("pref");
            if (apply.size() < 6
                    || !apply.get(1).equals("rule")
                    || !apply.get(2).equals("add")
                    || pref < 0) {
                throw new IllegalArgumentException("not a rule: " + apply);
            }
            return new Rule(apply.get(0), Integer.parseInt(apply.get(pref + 1)), apply.subList(3, pref));
        }

        @Override
        public String line() {
            return "rule " + family + " " + priority + " " + String.join(" ", selector);
        }

        List<String> delete() {
            List<String> args = new ArrayList<>(List.of(family, "rule", "del"));
            args.addAll(selector);
            args.addAll(List.of("pref", Integer.toString(priority)));
            return args;
        }
    }

    /** The tunnel's DNS registered with {@code resolvconf} under {@code name}. */
    public record Resolvconf(String name) implements Entry {
        @Override
        public String line() {
            return "dns-resolvconf " + name;
        }
    }

    /** {@code file} rewritten by the client, its original kept in {@code backup}. */
    public record ResolvFile(Path file, Path backup) implements Entry {
        @Override
        public String line() {
            return "dns-file " + file + " " + backup;
        }
    }

    /** {@code file}, a symbolic link to {@code target} before, replaced by a file of the client's. */
    public record ResolvLink(Path file, Path target) implements Entry {
        @Override
        public String line() {
            return "dns-link " + file + " " + target;
        }
    }

    private final RunDirectory run;
    private final Path file;
    private final String iface;

    public UndoJournal(RunDirectory run, String iface) {
        this.run = run;
        this.file = run.file(iface, ".undo");
        this.iface = iface;
    }

    public Path file() {
        return file;
    }

    /** Replaces the journal's content with {@code entries}; none removes the file. */
    public synchronized void write(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Entry e : entries) {
            lines.add(e.line());
        }
        OwnerOnlyFiles.replace(file, lines);
    }

    public synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The recorded entries, each checked; empty when there is no journal.
     *
     * @param resolvConf the resolver file that this client configures, the only one an entry may name
     * @throws IOException naming the file and what to do, for a journal of an older client or one with an
     *     entry that is unknown or malformed
     */
    public synchronized List<Entry> read(Path resolvConf) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (lines.isEmpty()) {
            return List.of();
        }
        if (!lines.get(0).equals(HEADER)) {
            throw new IOException("refusing " + file + ": it was written by an older wirehaven-client, whose journal"
                    + " names programs to run, and is no longer read. Undo by hand what it lists (policy rules with"
                    + " 'ip rule del ...', /etc/resolv.conf from the backup it names), then remove it: rm " + file);
        }
        if (lines.size() > MAX_LINES + 1) {
            throw refused(lines.size() + " lines", "more entries than a client ever writes");
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(parse(line, resolvConf));
            } catch (IllegalArgumentException e) {
                throw refused(line, e.getMessage());
            }
        }
        return entries;
    }

    private IOException refused(String entry, String why) {
        return new IOException("refused " + file + ": the entry '" + printable(entry) + "' is not one this client"
                + " writes (" + why + "); nothing was undone. Check by hand what a crashed client left (ip rule,"
                + " the resolver file), then remove the file: rm " + file);
    }

    /**
     * Undoes what a dead client left, entry by entry (a failing one does not stop the others), then
     * removes the journal. A journal that is refused ({@link #read}) undoes nothing and stays.
     *
     * @param resolvConf the resolver file that this client configures
     * @param report told what each entry did, as a sentence
     * @return true when there was anything to undo
     */
    public boolean replay(Ip ip, Path resolvConf, Consumer<String> report) throws IOException {
        List<Entry> entries = read(resolvConf);
        if (entries.isEmpty()) {
            delete();
            return false;
        }
        List<String> failed = new ArrayList<>();
        for (Entry entry : entries) {
            try {
                if (entry instanceof Rule r) {
                    if (ip.tryRun(r.delete())) {
                        report.accept("removed the rule 'ip " + r.family() + " rule add "
                                + String.join(" ", r.selector()) + " pref " + r.priority() + "'");
                    }
                } else if (entry instanceof Resolvconf r) {
                    SystemPrograms.command("resolvconf").run(List.of("-d", r.name(), "-f"));
                    report.accept("removed the DNS entries of " + iface + " from resolvconf");
                } else if (entry instanceof ResolvFile f) {
                    report.accept(ResolvConf.recover(f.file(), false, f.backup(), iface));
                } else if (entry instanceof ResolvLink l) {
                    report.accept(ResolvConf.recover(l.file(), true, l.target(), iface));
                }
            } catch (IOException | RuntimeException e) {
                failed.add(entry.line() + " (" + e.getMessage() + ")");
            }
        }
        delete();
        if (!failed.isEmpty()) {
            throw new IOException("could not undo: " + String.join("; ", failed));
        }
        return true;
    }

    /** One line, checked: its kind is known and every argument is one this client writes. */
    private Entry parse(String line, Path resolvConf) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("too long");
        }
        String[] f = line.split(" ", -1);
        switch (f[0]) {
            case "rule" -> {
                return rule(f);
            }
            case "dns-resolvconf" -> {
                require(f.length == 2 && RESOLVCONF_NAME.matcher(f[1]).matches(), "not a resolvconf name");
                require(f[1].equals(iface) || f[1].endsWith("." + iface), "not the name of " + iface);
                return new Resolvconf(f[1]);
            }
            case "dns-file" -> {
                require(f.length == 3, "not a file and its backup");
                require(Path.of(f[1]).equals(resolvConf.toAbsolutePath().normalize()), "not " + resolvConf);
                require(
                        Path.of(f[2])
                                .equals(run.file(iface, ".resolv.conf")
                                        .toAbsolutePath()
                                        .normalize()),
                        "not this client's backup " + run.file(iface, ".resolv.conf"));
                return new ResolvFile(Path.of(f[1]), Path.of(f[2]));
            }
            case "dns-link" -> {
                require(f.length == 3, "not a file and its link target");
                require(Path.of(f[1]).equals(resolvConf.toAbsolutePath().normalize()), "not " + resolvConf);
                require(!f[2].isEmpty() && f[2].codePoints().noneMatch(Character::isISOControl), "not a link target");
                return new ResolvLink(Path.of(f[1]), Path.of(f[2]));
            }
            default -> throw new IllegalArgumentException("unknown kind");
        }
    }

    /** A rule is one of the four shapes of {@link RoutePlan}, at its priority, with a table of ours. */
    private static Rule rule(String[] f) {
        require(f.length >= 4 && (f[1].equals("-4") || f[1].equals("-6")), "not a rule of a family");
        int priority = parseInt(f[2]);
        List<String> sel = List.of(f).subList(3, f.length);
        boolean ok = switch (priority) {
            case RoutePlan.PRIORITY_KEEP_OUTSIDE ->
                sel.size() == 4
                        && sel.get(0).equals("to")
                        && isHost(f[1], sel.get(1))
                        && sel.get(2).equals("lookup")
                        && sel.get(3).equals("main");
            case RoutePlan.PRIORITY_NEVER_INTO_TUNNEL ->
                sel.size() == 3
                        && sel.get(0).equals("to")
                        && isHost(f[1], sel.get(1))
                        && sel.get(2).equals("unreachable");
            case RoutePlan.PRIORITY_MAIN_SPECIFIC ->
                sel.equals(List.of("lookup", "main", "suppress_prefixlength", "0"));
            case RoutePlan.PRIORITY_TUNNEL -> sel.size() == 2 && sel.get(0).equals("lookup") && isOurTable(sel.get(1));
            default -> false;
        };
        require(ok, "not a rule that this client adds");
        return new Rule(f[1], priority, sel);
    }

    private static boolean isHost(String family, String text) {
        try {
            Cidr c = Cidr.parse(text);
            InetAddress a = c.address();
            boolean v4 = a instanceof Inet4Address;
            return family.equals(v4 ? "-4" : "-6")
                    && c.prefixLength() == (v4 ? 32 : 128)
                    && c.toString().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isOurTable(String text) {
        if (!text.matches("[0-9]{5}")) {
            return false;
        }
        int t = Integer.parseInt(text);
        return t >= LinuxHostNetwork.FIRST_TABLE && t < LinuxHostNetwork.FIRST_TABLE + LinuxHostNetwork.TABLES;
    }

    private static int parseInt(String s) {
        require(s.matches("[0-9]{1,5}"), "not a priority");
        return Integer.parseInt(s);
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }

    /** An entry as shown in a message: control and bidi characters as {@code <U+XXXX>}, long ones cut. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.UNASSIGNED
                    || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                b.append(String.format(Locale.ROOT, "<U+%04X>", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
