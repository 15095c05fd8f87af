package dev.wirehaven.server.support.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who else can change what the server runs. The server usually runs as root, and it loads code and
 * configuration from its installation: the launcher and scripts in {@code bin/}, the bundles in
 * {@code bundle/}, the hot deploy folder {@code deploy/} (whoever can put a jar there runs code as root
 * within a second), the configuration in {@code etc/} (which can point FileInstall at any other folder),
 * and {@code data/}, where the framework keeps its copies of the bundles. Anyone who can write to one of
 * them, to one of the files in them, or to a directory on the way from {@code /} to the installation
 * (and so rename it and put another in its place), can run code as the server's user.
 *
 * <p>A path is reported when its group or others can write to it, or when it belongs to a user other
 * than root and the server's own. Two exceptions, which grant nothing: a directory above the
 * installation that has the sticky bit (like {@code /tmp}: others may add entries but not rename or
 * remove ours), and write access of the group {@code root}. Each path gives at most one finding, with
 * the command that fixes it. The check reads attributes only, so it works the same for root, which the
 * permissions themselves do not stop.
 *
 * <p>It logs nothing: the caller decides how loud each finding is.
 */
public final class InstallationPermissions {

    /** The directories of the installation whose entries are checked as well as the directory. */
    public static final List<String> CODE_DIRECTORIES = List.of("bin", "bundle", "deploy", "etc");
    /** Checked as a directory only: it holds many files of the server's own, none of them shipped. */
    public static final String DATA_DIRECTORY = "data";

    private static final String ROOT = "root";
    private static final int OTHERS_WRITE = 0002;
    private static final int GROUP_WRITE = 0020;
    private static final int STICKY = 01000;

    /**
     * One path that others can change.
     *
     * @param path the path as the server uses it
     * @param problem what is wrong, e.g. "is writable by every user"
     * @param fix the command that puts it right, e.g. "chmod o-w /opt/wirehaven/deploy"
     */
    public record Finding(Path path, String problem, String fix) {}

    private final String serverUser;

    /** @param serverUser the name of the user the server runs as ({@link #currentUser()} in production) */
    public InstallationPermissions(String serverUser) {
        this.serverUser = serverUser;
    }

    /** The user this process runs as: the owner of {@code /proc/self} on Linux, else {@code user.name}. */
    public static String currentUser() {
        try {
            // the effective user, which is what file access goes by; user.name is the real one
            return Files.getOwner(Path.of("/proc/self")).getName();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.getProperty("user.name", "");
        }
    }

    /** The user the server runs as, as given. */
    public String serverUser() {
        return serverUser;
    }

    public boolean runsAsRoot() {
        return ROOT.equals(serverUser);
    }

    /**
     * The findings for the installation in {@code home}, the directories above it first, from {@code /}
     * down; a part of the layout that does not exist is skipped.
     *
     * @throws IOException when {@code home} itself cannot be read
     */
    public List<Finding> check(Path home) throws IOException {
        Path real = home.toRealPath();
        List<Finding> findings = new ArrayList<>();
        List<Path> above = new ArrayList<>();
        for (Path p = real.getParent(); p != null; p = p.getParent()) {
            above.add(0, p);
        }
        for (Path p : above) {
            check(p, true, findings);
        }
        check(real, false, findings);
        for (String name : CODE_DIRECTORIES) {
            Path dir = real.resolve(name);
            if (check(dir, false, findings)) {
                // sorted, so that the warnings come in the same order at every start
                TreeSet<Path> entries = new TreeSet<>();
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                    stream.forEach(entries::add);
                }
                for (Path entry : entries) {
                    check(entry, false, findings);
                }
            }
        }
        check(real.resolve(DATA_DIRECTORY), false, findings);
        return findings;
    }

    /**
     * Adds the finding for one path, if any; false when the path does not exist or is not a directory
     * (so that its entries are not listed). Links are followed: what counts is the file that is loaded.
     *
     * @param above whether the path is a directory above the installation, where the sticky bit suffices
     */
    private boolean check(Path path, boolean above, List<Finding> findings) throws IOException {
        PosixFileAttributes attributes;
        int mode;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
            mode = mode(path, attributes);
        } catch (NoSuchFileException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions (not a Linux or Unix file system): nothing that this check could read
            return false;
        }
        boolean sticky = above && attributes.isDirectory() && (mode & STICKY) != 0;
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        String chmod = "";
        if ((mode & OTHERS_WRITE) != 0 && !sticky) {
            problems.add("is writable by every user");
            chmod += "o";
        }
        GroupPrincipal group = attributes.group();
        if ((mode & GROUP_WRITE) != 0 && !sticky && !ROOT.equals(group.getName())) {
            problems.add("is writable by the group " + group.getName());
            chmod = "g" + chmod;
        }
        if (!chmod.isEmpty()) {
            fixes.add("chmod " + chmod + "-w " + path);
        }
        UserPrincipal owner = attributes.owner();
        if (!ROOT.equals(owner.getName()) && !owner.getName().equals(serverUser)) {
            problems.add("belongs to the user " + owner.getName());
            fixes.add("chown " + serverUser + " " + path);
        }
        if (!problems.isEmpty()) {
            findings.add(new Finding(path, String.join(" and ", problems), String.join("; ", fixes)));
        }
        return attributes.isDirectory();
    }

    /**
     * The mode bits with the sticky bit, which {@link PosixFileAttributes} leaves out; from the Unix
     * attribute view where the JDK has one (Linux, macOS), else rebuilt from the permissions.
     */
    private static int mode(Path path, PosixFileAttributes attributes) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(path, "unix:mode");
            Object mode = unix.get("mode");
            if (mode instanceof Integer bits) {
                return bits;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no unix view: the permissions below, without the sticky bit
        }
        int bits = 0;
        for (var p : attributes.permissions()) {
            bits |= 1 << (8 - p.ordinal());
        }
        return bits;
    }
}
