package dev.wirehaven.server.support.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a configuration came from, said the way an operator finds it again: its PID (what the web
 * console lists) and, when FileInstall made it from a file in {@code etc/}, that file.
 *
 * <p>Public because every configured component of the server (interfaces, sessions) names its
 * configuration the same way in the ERROR line that refuses a bad value.
 */
public record ConfigurationOrigin(String pid, String file) {

    /** The property in which FileInstall records the file of a configuration (a {@code file:} URL). */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    public static ConfigurationOrigin of(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Object file = properties.get(FILEINSTALL_FILENAME);
        return new ConfigurationOrigin(
                pid == null ? "(no PID)" : pid.toString(), file == null ? null : filePath(file.toString()));
    }

    /** {@code configuration <pid>} or {@code configuration <pid> (file <path>)}. */
    public String describe() {
        return "configuration " + pid + (file == null ? "" : " (file " + file + ")");
    }

    private static String filePath(String url) {
        try {
            return Path.of(URI.create(url)).toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file: URL after all; showing it as it is still tells the operator where to look
            return url;
        }
    }
}
