package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.internal.files.NetworkNamespace;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A command's streams in memory, with standard input given as text, and no terminal unless given. */
final class CliTestIo {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final ClientCommand.Io io;

    CliTestIo(String stdin, Path runDir, Path uapiDir, Path configDir) {
        this(stdin, null, runDir, uapiDir, configDir);
    }

    /** With a terminal (a {@link FakeTerminal}), whose answers and output the test holds. */
    CliTestIo(String stdin, Terminal terminal, Path runDir, Path uapiDir, Path configDir) {
        this(stdin, terminal, runDir, uapiDir, configDir, NetworkNamespace.current());
    }

    /** As a client in network namespace {@code namespace} ({@code ns<inode>}) would be. */
    CliTestIo(String stdin, Terminal terminal, Path runDir, Path uapiDir, Path configDir, String namespace) {
        io = new ClientCommand.Io(
                new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal,
                runDir,
                uapiDir,
                configDir,
                "test-host",
                namespace,
                runDir.resolveSibling("resolv.conf"));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
