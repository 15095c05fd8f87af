package dev.wirehaven.server.support.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of a {@link MigrationTrack}: a SQL script named {@code V<version>__<description>.sql},
 * read from its owner's bundle. Its checksum lets the runner notice a script that was edited after a
 * database had already applied it.
 *
 * <p>Scripts are split into statements at a semicolon that ends a line; {@code --} comment lines
 * are dropped. Our scripts keep to that (no semicolons inside literals, no procedures), which is
 * what makes a full SQL parser unnecessary.
 */
record Migration(int version, String description, String script, String checksum) {

    static final String RESOURCE_DIRECTORY = "migrations/";
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

    /** Reads {@code migrations/<name>} in the package of {@code anchor}. */
    static Migration load(Class<?> anchor, String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("migration " + name + " is not named V<version>__<description>.sql");
        }
        String script;
        try (InputStream in = anchor.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing beside " + anchor.getName());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), script, sha256(script));
    }

    /** The statements of the script, in order, without comments and without the closing semicolons. */
    List<String> statements() {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("migration V" + version + " ends without a semicolon: "
                    + current.toString().strip());
        }
        return statements;
    }

    private static String sha256(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
