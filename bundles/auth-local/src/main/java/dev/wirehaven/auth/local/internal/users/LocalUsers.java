package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.store.UserSchema;
import dev.wirehaven.server.support.store.SchemaMigrations;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The local users over whichever store is registered: the repository, the password hashes and
 * the operations, shared by the {@code password} auth provider, the gogo commands and the admin
 * socket, so that all of them hash alike and see the same users.
 *
 * <p>Activation brings the store's schema up to date, because nothing may ask the {@code users}
 * table before it exists. Another component may be migrating the same store at the same moment;
 * then one of the two records a version first and the other's insert of that version fails, and
 * a second attempt finds the schema current (the runner applies only what is missing).
 */
@Component(service = LocalUsers.class)
public final class LocalUsers {

    private final UserRepository repository;
    private final UserPasswords passwords;
    private final UserAdministration administration;

    /** The session layer, while one runs: disabling or removing a user ends that user's sessions. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SessionAdmin sessionAdmin;

    @Activate
    public LocalUsers(@Reference(target = "(wirehaven.store=*)") DataSource store) {
        this(store, new SecureRandom(), Clock.systemUTC());
        migrate(store);
    }

    LocalUsers(DataSource store, SecureRandom random, Clock clock) {
        this.repository = new UserRepository(store);
        this.passwords = new UserPasswords(random);
        this.administration = new UserAdministration(repository, passwords, clock, this::endSessions);
    }

    private int endSessions(String user, String why) {
        SessionAdmin admin = sessionAdmin;
        return admin == null ? 0 : admin.revokeAllOf(user, why).size();
    }

    /** Applies the migrations of the local users' own track that the store lacks. */
    static void migrate(DataSource store) {
        new SchemaMigrations(store, UserSchema.TRACK, Clock.systemUTC()).migrate();
    }

    UserRepository repository() {
        return repository;
    }

    UserPasswords passwords() {
        return passwords;
    }

    UserAdministration administration() {
        return administration;
    }
}
