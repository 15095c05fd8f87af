package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nftables' {@code nft}, through which the server puts its masquerade in place ({@link FullTunnel}).
 * {@link #system()} is the machine's; tests record what would have run.
 */
interface Nft {

    /**
     * Where the machine's {@code nft} is looked for: the system's own directories, in this order, and
     * never {@code PATH} first (a program of the same name earlier on the service's {@code PATH} would
     * otherwise run as root with the server's rules).
     */
    List<String> LOCATIONS = List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft", "/bin/nft");

    /** Whether the program is there to run. */
    boolean isInstalled();

    /**
     * Runs {@code nft args...} with {@code stdin} (a ruleset for {@code -f -}; {@code null} for none)
     * and returns its standard output.
     *
     * @throws IOException naming the command line, its exit status and nft's own message
     */
    String run(List<String> args, String stdin) throws IOException;

    /** The machine's {@code nft}, looked for at every use: it may be installed while the server runs. */
    static Nft system() {
        return new Nft() {
            @Override
            public boolean isInstalled() {
                return locate() != null;
            }

            @Override
            public String run(List<String> args, String stdin) throws IOException {
                String program = locate();
                if (program == null) {
                    throw new IOException("nftables' nft is not installed (looked for " + String.join(", ", LOCATIONS)
                            + "); install nftables");
                }
                // through the server's one runner of host programs: no shell, a time limit, the ruleset on stdin
                return HostCommand.at(program).run(args, stdin);
            }
        };
    }

    private static String locate() {
        for (String candidate : LOCATIONS) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
