package dev.wirehaven.server.support.store;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The schema of one owner of tables: its name in {@code schema_history} and its scripts, oldest first,
 * read from {@code migrations/} beside {@code anchor} in the owner's bundle. Each bundle that owns
 * tables has its own track (the sessions' tables, the local users' table), so that installing,
 * updating or removing one bundle migrates only what it owns, and two bundles starting at once never
 * run each other's scripts.
 *
 * @param name the track's name, lower-case letters, digits and dashes (such as {@code sessions})
 * @param anchor a class of the owning bundle in whose package the {@code migrations/} folder lies
 * @param scripts the script names {@code V<n>__<description>.sql}, numbered 1, 2, 3... without gaps
 */
public record MigrationTrack(String name, Class<?> anchor, List<String> scripts) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public MigrationTrack {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a migration track is named with lower-case letters, digits and dashes: " + name);
        }
        scripts = List.copyOf(scripts);
    }

    /** The track's scripts, loaded. */
    List<Migration> load() {
        return scripts.stream().map(script -> Migration.load(anchor, script)).toList();
    }
}
