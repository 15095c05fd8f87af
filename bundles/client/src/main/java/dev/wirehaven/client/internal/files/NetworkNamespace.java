package dev.wirehaven.client.internal.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The identity of this process's network namespace: the inode of {@code /proc/self/ns/net} (the
 * number in {@code net:[4026531840]}), read once. Containers often share {@code /run} with the host or
 * with each other while each has its own network, where the same interface name ({@code wh0}) is a
 * different interface: the client's files in the run directory are keyed by it so that two namespaces
 * never meet (see {@link RunDirectory}).
 */
public final class NetworkNamespace {

    private static final String CURRENT = read();

    private NetworkNamespace() {}

    /** This process's network namespace, as {@code ns<inode>}. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            int open = link.indexOf('[');
            int close = link.indexOf(']');
            if (link.startsWith("net:[") && close > open + 1) {
                return "ns" + Long.parseLong(link.substring(open + 1, close));
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (a sandbox): one namespace as far as this client can tell
        }
        return "ns0";
    }
}
