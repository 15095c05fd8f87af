package dev.wirehaven.auth.totp.internal.factor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data directory of an installation, found from outside the framework by the command line the way
 * the server finds it: the framework property {@value DataDirectory#PROPERTY} in
 * {@code <wirehaven.home>/etc/config.properties}, with its {@code ${...}} references resolved as Felix
 * resolves them (another property of the file first, then a system property); without one there, the
 * system property of that name; else {@code data} in the installation, the server's working directory.
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
                String value = framework.getProperty(DataDirectory.PROPERTY);
                if (value != null && !value.isBlank()) {
                    return DataDirectory.of(substitute(value, framework, system, 0));
                }
            }
        }
        String configured = system.getProperty(DataDirectory.PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return DataDirectory.of(configured);
        }
        return home == null || home.isBlank()
                ? DataDirectory.of(null)
                : DataDirectory.of(Path.of(home, DataDirectory.DEFAULT).toString());
    }

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
