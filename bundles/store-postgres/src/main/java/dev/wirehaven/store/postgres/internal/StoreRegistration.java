package dev.wirehaven.store.postgres.internal;

import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the store's {@link DataSource} service once the database has answered. The server's
 * components migrate their schema when they activate, and SCR does not activate a component again
 * after its constructor failed: a store offered before the database answers would leave them failed
 * for good after a boot during an outage. Registered late instead, they activate when the database is
 * back. An outage later on does not unregister the store: established tunnels keep running, and the
 * steps that need the database answer 503 with {@code Retry-After} until it returns.
 */
final class StoreRegistration implements AutoCloseable {

    /** How often the database is asked again while it has not answered yet. */
    static final long RETRY_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(StoreRegistration.class);

    private final Supplier<Runnable> register;
    private Thread waiting;
    /** Unregisters the service; null while it is not registered. */
    private Runnable registration;

    private boolean closed;

    private StoreRegistration(Supplier<Runnable> register) {
        this.register = register;
    }

    /** Registers {@code store} as a {@link DataSource} service of {@code context}, once the database answers. */
    static StoreRegistration of(
            BundleContext context,
            DataSource store,
            Hashtable<String, Object> properties,
            boolean reachable,
            BooleanSupplier probe,
            String where) {
        return start(
                () -> {
                    ServiceRegistration<DataSource> r = context.registerService(DataSource.class, store, properties);
                    return () -> {
                        try {
                            r.unregister();
                        } catch (IllegalStateException alreadyGone) {
                            // the framework unregisters a stopping bundle's services itself
                        }
                    };
                },
                reachable,
                probe,
                where);
    }

    /**
     * Registers now when the database answered at activation, or else from a thread that asks it again
     * every {@link #RETRY_SECONDS} until it answers.
     *
     * @param register registers the service and returns what unregisters it
     * @param where the store's URL as it may be logged
     */
    static StoreRegistration start(
            Supplier<Runnable> register, boolean reachable, BooleanSupplier probe, String where) {
        StoreRegistration r = new StoreRegistration(register);
        if (reachable) {
            r.register();
        } else {
            r.waitFor(probe, where);
        }
        return r;
    }

    private synchronized void waitFor(BooleanSupplier probe, String where) {
        waiting = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (probe.getAsBoolean()) {
                            LOG.info("PostgreSQL store at {} answers now: the server's components start", where);
                            register();
                            return;
                        }
                        try {
                            TimeUnit.SECONDS.sleep(RETRY_SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "wirehaven-store-postgres-wait");
        waiting.setDaemon(true);
        waiting.start();
    }

    private synchronized void register() {
        if (!closed && registration == null) {
            registration = register.get();
        }
    }

    /** Whether the service is registered (tests). */
    synchronized boolean registered() {
        return registration != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (waiting != null) {
            waiting.interrupt();
        }
        if (registration != null) {
            registration.run();
            registration = null;
        }
    }
}
