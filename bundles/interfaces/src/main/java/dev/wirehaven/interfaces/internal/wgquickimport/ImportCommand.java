package dev.wirehaven.interfaces.internal.wgquickimport;

import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The gogo command {@code wirehaven:importwgquick <file> [name] [--force]}: imports a wg-quick
 * server file into {@code etc/} and {@code data/keys/} of the running server (see
 * {@link WgQuickImport}); FileInstall then brings the interface up within seconds. A relative file
 * is relative to the server's home directory. Gogo calls the public methods by reflection (any
 * case of the name), so this bundle needs no dependency on gogo.
 */
@Component(
        service = ImportCommand.class,
        property = {"osgi.command.scope=wirehaven", "osgi.command.function=importwgquick"})
public final class ImportCommand {

    /** The framework properties of the distribution's etc/config.properties. */
    static final String HOME_PROPERTY = "wirehaven.home";

    static final String DATA_PROPERTY = "wirehaven.data";
    static final String FILEINSTALL_DIR_PROPERTY = "felix.fileinstall.dir";

    private final Path home;
    private final WgQuickImport importer;

    @Activate
    public ImportCommand(BundleContext context) {
        this(
                Path.of(property(context, HOME_PROPERTY, ".")),
                Path.of(property(context, FILEINSTALL_DIR_PROPERTY, property(context, HOME_PROPERTY, ".") + "/etc")),
                Path.of(property(context, DATA_PROPERTY, "data")));
    }

    ImportCommand(Path home, Path etcDirectory, Path dataDirectory) {
        this.home = home.toAbsolutePath().normalize();
        this.importer = new WgQuickImport(etcDirectory, dataDirectory);
    }

    /** {@code importwgquick <file>}: the interface is named after the file. */
    public String importWgQuick(String file) throws ImportException {
        return run(List.of(file));
    }

    /** {@code importwgquick <file> <name>} or {@code importwgquick <file> --force}. */
    public String importWgQuick(String file, String second) throws ImportException {
        return run(List.of(file, second));
    }

    /** {@code importwgquick <file> <name> --force}, {@code importwgquick <file> --name <name>}. */
    public String importWgQuick(String file, String second, String third) throws ImportException {
        return run(List.of(file, second, third));
    }

    /** {@code importwgquick <file> --name <name> --force}. */
    public String importWgQuick(String file, String second, String third, String fourth) throws ImportException {
        return run(List.of(file, second, third, fourth));
    }

    private String run(List<String> args) throws ImportException {
        WgQuickImport.Request request;
        try {
            request = ImportArguments.parse(args, home);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    e.getMessage() + "; usage: wirehaven:importwgquick <file> [name] [--force]");
        }
        return importer.run(request);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
