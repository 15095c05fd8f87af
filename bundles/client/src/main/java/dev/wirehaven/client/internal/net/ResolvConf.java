package dev.wirehaven.client.internal.net;

import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.tun.HostCommand;
import dev.wirehaven.wireguard.IpAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel's DNS servers and search domains on the host, and putting back what was there.
 *
 * <p>Through {@code resolvconf} when the host has it (it merges the tunnel's servers with the
 * other interfaces' and restores by itself, {@code resolvconf -d}), as wg-quick does. Else by
 * replacing {@code /etc/resolv.conf}, with the original kept in a backup file so that even a client
 * that crashed can be cleaned up ({@code wirehaven-client disconnect}). The file is written in place
 * (same inode) because under {@code ip netns exec} it is a bind mount of
 * {@code /etc/netns/<ns>/resolv.conf}, which cannot be replaced by a rename; and for the same reason
 * {@code resolvconf} is not used when the file is a mount point (its result would be hidden under
 * the mount, and it would change the host's resolver state instead of the namespace's). A symbolic
 * link (such as systemd-resolved's stub) is replaced by a file and put back as the same link.
 *
 * <p>On restore, a file that someone else rewrote meanwhile (a DHCP client) is left as it is.
 */
public final class ResolvConf {

    private static final Pattern INTERFACE_ORDER_PATTERN = Pattern.compile("([A-Za-z0-9-]+)\\*");

    private final Path file;
    private final Path backup;
    private final String iface;
    private final HostCommand resolvconf;
    private final String marker;

    private boolean saved;
    private boolean wasLink;
    private Path linkTarget;
    private byte[] written;
    private boolean registered;

    ResolvConf(Path file, Path backup, String iface, HostCommand resolvconf) {
        this.file = file;
        this.backup = backup;
        this.iface = iface;
        this.resolvconf = resolvconf;
        this.marker = "# Written by wirehaven-client for " + iface;
    }

    /**
     * Chooses {@code resolvconf} when it is installed and {@code file} is not a mount point, else
     * the file itself.
     *
     * @param backup where the original file is kept while connected
     */
    public static ResolvConf forHost(Path file, Path backup, String iface) {
        HostCommand tool = SystemPrograms.command("resolvconf"); // never from PATH: the client runs as root
        boolean useTool = tool.isInstalled() && !isMountPoint(file);
        return new ResolvConf(file, backup, iface, useTool ? tool : null);
    }

    /** Always the file, never {@code resolvconf}: for tests and hosts where the tool must not be used. */
    public static ResolvConf fileOnly(Path file, Path backup, String iface) {
        return new ResolvConf(file, backup, iface, null);
    }

    /** Whether this goes through {@code resolvconf}. */
    public boolean usesResolvconf() {
        return resolvconf != null;
    }

    /**
     * Makes the host use {@code servers} and {@code domains}; with neither, puts back the original.
     */
    public synchronized void apply(List<InetAddress> servers, List<String> domains) throws IOException {
        if (servers.isEmpty() && domains.isEmpty()) {
            restore();
            return;
        }
        String content = content(servers, domains);
        if (resolvconf != null) {
            resolvconf.run(List.of("-a", resolvconfName(), "-m", "0", "-x"), content);
            registered = true;
            return;
        }
        if (!saved) {
            save();
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.isSymbolicLink(file)) {
            Files.delete(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        Files.write(
                file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        written = bytes;
    }

    /**
     * Puts back what was there before {@link #apply}. Idempotent.
     *
     * @return a sentence when the file was left alone because someone else changed it, else {@code null}
     */
    public synchronized String restore() throws IOException {
        if (resolvconf != null) {
            if (registered) {
                resolvconf.run(List.of("-d", resolvconfName(), "-f"));
                registered = false;
            }
            return null;
        }
        if (!saved) {
            return null;
        }
        String left = null;
        byte[] now = readOrNull(file);
        if (written != null && !Arrays.equals(now, written)) {
            left = file + " was changed by another program while connected; left as it is (the original is in " + backup
                    + ")";
        } else {
            putBack(file, wasLink, linkTarget, readOrNull(backup));
        }
        if (left == null) {
            Files.deleteIfExists(backup);
        }
        saved = false;
        written = null;
        return left;
    }

    /** The entry of the undo journal that restores DNS after a crash, or {@code null} when nothing needs restoring. */
    public synchronized UndoJournal.Entry journalEntry() {
        if (resolvconf != null) {
            return registered ? new UndoJournal.Resolvconf(resolvconfName()) : null;
        }
        if (!saved) {
            return null;
        }
        Path f = file.toAbsolutePath().normalize();
        return wasLink
                ? new UndoJournal.ResolvLink(f, linkTarget)
                : new UndoJournal.ResolvFile(f, backup.toAbsolutePath().normalize());
    }

    /**
     * Puts back {@code target} for a client that did not restore DNS itself, when it still holds that
     * client's settings: as the symbolic link to {@code original} ({@code link}), or from the backup
     * file {@code original}.
     *
     * @return what was done, as a sentence
     */
    static String recover(Path target, boolean link, Path original, String iface) throws IOException {
        String content = new String(readOrEmpty(target), StandardCharsets.UTF_8);
        if (!content.startsWith("# Written by wirehaven-client for " + iface + "\n")) {
            return target + " no longer holds " + iface + "'s DNS settings; left as it is";
        }
        if (link) {
            putBack(target, true, original, null);
        } else {
            putBack(target, false, null, readOrNull(original));
            Files.deleteIfExists(original);
        }
        return "restored " + target;
    }

    private void save() throws IOException {
        wasLink = Files.isSymbolicLink(file);
        if (wasLink) {
            linkTarget = Files.readSymbolicLink(file);
        } else {
            byte[] original = readOrNull(file);
            Path backupDirectory = backup.toAbsolutePath().getParent();
            if (backupDirectory == null) {
                throw new IOException(backup + " is not a file path for the backup of " + file);
            }
            Files.createDirectories(backupDirectory);
            Files.deleteIfExists(backup);
            if (original != null) {
                OwnerOnlyFiles.createNew(backup, original);
            }
        }
        saved = true;
    }

    private static void putBack(Path file, boolean link, Path target, byte[] original) throws IOException {
        if (link) {
            Files.deleteIfExists(file);
            Files.createSymbolicLink(file, target);
        } else if (original == null) {
            Files.deleteIfExists(file);
        } else {
            Files.write(
                    file,
                    original,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
    }

    private String content(List<InetAddress> servers, List<String> domains) {
        StringBuilder b = new StringBuilder(marker)
                .append('\n')
                .append("# while connected; the previous configuration is restored on disconnect.\n");
        for (InetAddress s : servers) {
            b.append("nameserver ").append(IpAddresses.format(s)).append('\n');
        }
        if (!domains.isEmpty()) {
            b.append("search ").append(String.join(" ", domains)).append('\n');
        }
        return b.toString();
    }

    /** The interface name under which resolvconf keeps the entries, with the prefix its interface-order asks for (as wg-quick). */
    private String resolvconfName() {
        Path order = Path.of("/etc/resolvconf/interface-order");
        try {
            for (String line : Files.readAllLines(order, StandardCharsets.UTF_8)) {
                Matcher m = INTERFACE_ORDER_PATTERN.matcher(line.strip());
                if (m.matches()) {
                    return m.group(1) + "." + iface;
                }
            }
        } catch (IOException e) {
            // no interface-order (openresolv, or none at all): the bare name
        }
        return iface;
    }

    private static byte[] readOrNull(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] readOrEmpty(Path p) throws IOException {
        byte[] b = readOrNull(p);
        return b == null ? new byte[0] : b;
    }

    /** Whether {@code path} is itself a mount point, as {@code ip netns exec} makes {@code /etc/resolv.conf}. */
    static boolean isMountPoint(Path path) {
        String wanted = path.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(wanted)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // no /proc: not Linux, or a sandbox; assume an ordinary file
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape after all
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The entries a journal keeps for this; empty when nothing needs restoring. */
    public List<UndoJournal.Entry> journal() {
        List<UndoJournal.Entry> entries = new ArrayList<>();
        UndoJournal.Entry e = journalEntry();
        if (e != null) {
            entries.add(e);
        }
        return entries;
    }
}
