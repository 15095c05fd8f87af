package dev.wirehaven.auth.local.internal.users;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data directory that the server of an installation uses, found from outside the framework
 * by the command line, by the server's own rule: the framework property
 * {@value AdminSocketAddress#DATA_PROPERTY} from {@code <wirehaven.home>/etc/config.properties} with
 * its {@code ${...}} references resolved as Felix resolves them; without one there, the system
 * property of that name (Felix's launcher copies only {@code felix.*} and {@code org.osgi.framework.*}
 * system properties over the file's, so the file wins); else {@code data} in the installation,
 * which is the server's working directory.
 */
final class InstalledDataDirectory {

    static final String HOME_PROPERTY = "wirehaven.home";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)\\}");
    private static final int MAX_DEPTH = 8;

    private InstalledDataDirectory() {}

    /**
     * @param system the system properties (the command line's, or a test's)
     * @throws IOException when {@code etc/config.properties} exists but cannot be read
     */
    static Path resolve(Properties system) throws IOException {
        String home = system.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path config = Path.of(home, "etc", "config.properties");
            if (Files.isRegularFile(config)) {
                Properties framework = new Properties();
                try (Reader in = Files.newBufferedReader(config, StandardCharsets.ISO_8859_1)) {
                    framework.load(in);
                }
                String value = framework.getProperty(AdminSocketAddress.DATA_PROPERTY);
                if (value != null && !value.isBlank()) {
                    return AdminSocketAddress.dataDirectory(substitute(value, framework, system, 0));
                }
            }
        }
        String configured = system.getProperty(AdminSocketAddress.DATA_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return AdminSocketAddress.dataDirectory(configured);
        }
        return home == null || home.isBlank()
                ? AdminSocketAddress.dataDirectory(null)
                : AdminSocketAddress.dataDirectory(
                        Path.of(home, AdminSocketAddress.DATA_DEFAULT).toString());
    }

    /** Felix's rule: a reference names another property of the file first, then a system property. */
    private static String substitute(String value, Properties framework, Properties system, int depth) {
        if (depth > MAX_DEPTH) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = framework.getProperty(name, system.getProperty(name, ""));
            m.appendReplacement(out, Matcher.quoteReplacement(substitute(replacement, framework, system, depth + 1)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
