package dev.wirehaven.server.internal.users;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The embedded store opened by the command line while no server runs. It is the store bundle's
 * own {@code EmbeddedStore.openStandalone}, so that location, JDBC URL, settings and database owner
 * are defined once, in that bundle. The class is found by name because its package is internal to
 * the store bundle: importing it would make this bundle unresolvable in the framework, where the
 * command-line classes never run anyway; on the command line's class path every bundle is visible.
 */
final class StandaloneStore {

    static final String CLASS = "dev.wirehaven.store.embedded.internal.EmbeddedStore";
    static final String METHOD = "openStandalone";

    private StandaloneStore() {
    }

    /**
     * Opens the store in {@code dataDirectory}; close it with {@link #close(DataSource)}.
     *
     * @throws UserAdminException saying why the store cannot be opened (most often: a server holds it)
     */
    static DataSource open(Path dataDirectory, Path socket) throws UserAdminException {
        Method open;
        try {
            // loadClass rather than Class.forName: bnd turns a Class.forName of a constant into an Import-Package
            open = StandaloneStore.class.getClassLoader().loadClass(CLASS).getMethod(METHOD, String.class);
        } catch (ReflectiveOperationException e) {
            throw new UserAdminException("The embedded store is not on the class path (bundle/wirehaven-store-embedded-*.jar, "
                    + CLASS + "." + METHOD + "): is this a complete Wirehaven installation?");
        }
        try {
            return (DataSource) open.invoke(null, dataDirectory.toString());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause instanceof AccessDeniedException ? "permission denied on " + cause.getMessage()
                    : cause.getMessage();
            throw new UserAdminException(AdminProtocol.oneLine("No server answers on " + socket + ", and the store "
                    + "cannot be opened directly: " + reason + "; if a server is starting or stopping, try again "
                    + "once it runs or has stopped."));
        } catch (IllegalAccessException e) {
            throw new UserAdminException("The embedded store cannot be opened from here: " + e.getMessage());
        }
    }

    static void close(DataSource store) {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // the process ends next; H2 has committed what was done
            }
        }
    }
}
