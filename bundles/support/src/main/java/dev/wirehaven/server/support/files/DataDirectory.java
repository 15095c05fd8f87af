package dev.wirehaven.server.support.files;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's data directory: the framework property {@value #PROPERTY} (default {@value #DEFAULT},
 * relative to the server's working directory, which is the installation). Inside the framework a
 * bundle reads the property ({@link #of}); the offline command lines find it from outside by the
 * server's own rule ({@link #installed}).
 */
public final class DataDirectory {

    /** The framework property naming the data directory. */
    public static final String PROPERTY = "wirehaven.data";
    /** The data directory when the property names none, relative to the installation. */
    public static final String DEFAULT = "data";
    /** The system property with the installation's directory, which {@code bin/wirehaven} sets. */
    public static final String HOME_PROPERTY = "wirehaven.home";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)\\}");
    private static final int MAX_DEPTH = 8;

    private DataDirectory() {}

    /** The directory named by the property's value, or the default when it is null or blank. */
    public static Path of(String configured) {
        String location = configured == null || configured.isBlank() ? DEFAULT : configured.strip();
        return Path.of(location).toAbsolutePath().normalize();
    }

    /**
     * The data directory of an installation, found from outside the framework by the server's rule:
     * the framework property {@value #PROPERTY} in {@code <wirehaven.home>/etc/config.properties}, with
     * its {@code ${...}} references resolved as Felix resolves them; without one there, the system
     * property of that name (Felix's launcher copies only {@code felix.*} and {@code org.osgi.framework.*}
     * system properties over the file's, so the file wins); else {@code data} in the installation.
     *
     * @param system the system properties (the command line's, or a test's)
     * @throws IOException when {@code etc/config.properties} exists but cannot be read
     */
    public static Path installed(Properties system) throws IOException {
        String home = system.getProperty(HOME_PROPERTY);
        Properties framework = frameworkProperties(system);
        String value = framework.getProperty(PROPERTY);
        if (value != null && !value.isBlank()) {
            return of(substitute(value, framework, system, 0));
        }
        String configured = system.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return of(configured);
        }
        return home == null || home.isBlank()
                ? of(null)
                : of(Path.of(home, DEFAULT).toString());
    }

    /**
     * The framework properties of the installation that {@value #HOME_PROPERTY} names, as written in its
     * {@code etc/config.properties}; empty without one.
     *
     * @throws IOException when the file exists but cannot be read
     */
    static Properties frameworkProperties(Properties system) throws IOException {
        Properties framework = new Properties();
        String home = system.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path config = Path.of(home, "etc", "config.properties");
            if (Files.isRegularFile(config)) {
                try (Reader in = Files.newBufferedReader(config, StandardCharsets.ISO_8859_1)) {
                    framework.load(in);
                }
            }
        }
        return framework;
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
