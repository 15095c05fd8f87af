package dev.wirehaven.interfaces.internal.wgquickimport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/wirehaven import-wg-quick <file.conf> [--name <interface>] [--force]}: the import
 * without a running server, on the jars of the distribution's {@code bundle/} directory. It loads
 * no OSGi or logging class: the report goes to standard output, a refusal to standard error.
 *
 * <p>Exit status: 0 imported, 1 not imported (the message says why), 2 wrong arguments.
 */
public final class ImportMain {

    /** Set by bin/wirehaven: the distribution's home, whose etc/ and data/ the server uses. */
    static final String HOME_PROPERTY = "wirehaven.home";

    static final String DATA_PROPERTY = "wirehaven.data";

    private ImportMain() {}

    public static void main(String[] args) {
        System.exit(run(
                List.of(args),
                Path.of(System.getProperty(HOME_PROPERTY, ".")),
                System.getProperty(DATA_PROPERTY),
                Path.of(""),
                System.out,
                System.err));
    }

    /**
     * @param data the data directory, or {@code null} for {@code <home>/data}
     * @param workingDirectory what a relative file is relative to
     * @return the exit status
     */
    static int run(List<String> args, Path home, String data, Path workingDirectory, PrintStream out, PrintStream err) {
        if (args.contains("-h") || args.contains("--help")) {
            out.println("usage: wirehaven " + ImportArguments.USAGE);
            return 0;
        }
        WgQuickImport.Request request;
        try {
            request = ImportArguments.parse(args, workingDirectory.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            err.println("wirehaven import-wg-quick: " + e.getMessage());
            err.println("usage: wirehaven " + ImportArguments.USAGE);
            return 2;
        }
        Path dataDirectory = data == null || data.isBlank() ? home.resolve("data") : Path.of(data);
        try {
            out.print(new WgQuickImport(home.resolve("etc"), dataDirectory).run(request));
            return 0;
        } catch (ImportException e) {
            err.println("wirehaven import-wg-quick: " + e.getMessage());
            return 1;
        }
    }
}
