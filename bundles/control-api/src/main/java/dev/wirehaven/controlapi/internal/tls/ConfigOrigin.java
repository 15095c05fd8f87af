package dev.wirehaven.controlapi.internal.tls;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the TLS configuration came from, said the way an operator finds it again: its PID (what the
 * web console lists) and, when FileInstall made it from a file in {@code etc/}, that file.
 */
record ConfigOrigin(String pid, String file) {

    /** The property in which FileInstall records the file of a configuration (a {@code file:} URL). */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    static ConfigOrigin of(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Object file = properties.get(FILEINSTALL_FILENAME);
        return new ConfigOrigin(
                pid == null ? TlsSettings.PID : pid.toString(), file == null ? null : filePath(file.toString()));
    }

    /** {@code configuration <pid>} or {@code configuration <pid> (file <path>)}. */
    String describe() {
        return "configuration " + pid + (file == null ? "" : " (file " + file + ")");
    }

    private static String filePath(String url) {
        try {
            return Path.of(URI.create(url)).toString();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // not a file: URL after all; showing it as it is still tells the operator where to look
            return url;
        }
    }
}
