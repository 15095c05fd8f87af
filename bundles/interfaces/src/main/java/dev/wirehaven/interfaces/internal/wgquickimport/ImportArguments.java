package dev.wirehaven.interfaces.internal.wgquickimport;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The arguments of {@code bin/wirehaven import-wg-quick} and of the gogo command
 * {@code wirehaven:importwgquick}, read the same way: {@code <file> [name] [--name <name>] [--force]}.
 */
final class ImportArguments {

    static final String USAGE = "import-wg-quick <file.conf> [--name <interface>] [--force]";

    private ImportArguments() {}

    /**
     * @param base what a relative file path is relative to
     * @throws IllegalArgumentException with what is wrong, for the usage message
     */
    static WgQuickImport.Request parse(List<String> args, Path base) {
        String file = null;
        String name = null;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--force" -> force = true;
                case "--name" -> {
                    if (i + 1 >= args.size() || name != null) {
                        throw new IllegalArgumentException(
                                name != null
                                        ? "the name is given twice"
                                        : "--name needs the interface name, e.g. --name wg0");
                    }
                    name = args.get(++i);
                }
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    } else if (file == null) {
                        file = arg;
                    } else if (name == null) {
                        name = arg;
                    } else {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                    }
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("which wg-quick file? e.g. /etc/wireguard/wg0.conf");
        }
        try {
            return new WgQuickImport.Request(base.resolve(file), name, force);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + file + "' is not a file path");
        }
    }
}
