package dev.wirehaven.sessions.internal.realm;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One auth realm from its factory configuration ({@value #PID}{@code -<name>}): registered while its
 * configuration is valid, so that the auth chain picks it up at once and drops it when it is deleted.
 * A configuration that cannot be used is refused with one ERROR line naming the file and the key; the
 * other realms go on.
 */
@Component(
        service = RealmComponent.class,
        configurationPid = RealmComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RealmConfig.class, factory = true)
public final class RealmComponent {

    /** The factory PID of auth realms. */
    public static final String PID = "dev.wirehaven.auth.realm";

    private static final Logger LOG = LoggerFactory.getLogger(RealmComponent.class);

    private final AuthRealm realm;

    @Activate
    public RealmComponent(RealmConfig config, Map<String, Object> properties) {
        try {
            this.realm = AuthRealm.from(config);
        } catch (RealmConfigException e) {
            LOG.error(
                    "Auth realm not used: {} in {}; fix the key and save the file again",
                    e.getMessage(),
                    source(properties));
            throw e;
        }
        LOG.info(
                "Auth realm {}: users {}, primary {}, second factor {} for {}, fallback {}",
                realm.name(),
                realm.users(),
                realm.primary(),
                realm.secondFactor(),
                realm.rule().name().toLowerCase(java.util.Locale.ROOT),
                realm.fallback());
    }

    public AuthRealm realm() {
        return realm;
    }

    /** The file the configuration came from (fileinstall records it), or its PID. */
    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file != null ? String.valueOf(file) : PID + " (" + properties.get("service.pid") + ")";
    }
}
