package dev.wirehaven.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What another local user plants for a client running as root: a file in the client's run directory
 * under every name the client may read it by (the name of older clients, {@code <iface><suffix>}, and
 * the name keyed by this process's network namespace, {@code <iface>.ns<inode><suffix>}), and a program
 * that leaves a marker when someone runs it.
 */
public final class Planted {

    private Planted() {}

    /** The names under which the client of this network namespace may look for {@code iface}'s file. */
    public static List<Path> names(Path runDirectory, String iface, String suffix) throws IOException {
        return List.of(
                runDirectory.resolve(iface + suffix), runDirectory.resolve(iface + ".ns" + namespaceInode() + suffix));
    }

    /** Writes {@code content} under every name of {@link #names}. */
    public static void file(Path runDirectory, String iface, String suffix, String content) throws IOException {
        Files.createDirectories(runDirectory);
        for (Path p : names(runDirectory, iface, suffix)) {
            Files.writeString(p, content);
        }
    }

    /** An executable at {@code program} that creates {@code marker} when run. */
    public static void program(Path program, Path marker) throws IOException {
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#!/bin/sh\ntouch '" + marker + "'\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The inode of this process's network namespace, read independently of the client's own code. */
    public static String namespaceInode() throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(); // net:[4026531840]
        return link.substring(link.indexOf('[') + 1, link.indexOf(']'));
    }
}
