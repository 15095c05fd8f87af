package dev.wirehaven.server.support.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** For each bundle's tests: the scripts of a track are exactly those in its {@code migrations/} folder. */
public final class ShippedScripts {

    private ShippedScripts() {}

    /** Fails unless every script beside the track's anchor is listed in the track, and every listed one is there. */
    public static void assertTrackListsEveryScript(MigrationTrack track) throws IOException, URISyntaxException {
        Path dir =
                Path.of(track.anchor().getResource(Migration.RESOURCE_DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> shipped =
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(track.scripts()), shipped, "scripts of track " + track.name());
        }
    }
}
