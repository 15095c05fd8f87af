package dev.wirehaven.api.policy;

import dev.wirehaven.api.auth.Identity;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A question to the policy engines about one identity. There are two kinds, because the seed's
 * two use cases ask different things: a remote worker asks to reach a resource
 * ({@link ResourceAccess}), a branch office's client asks to route a subnet of its own through the
 * tunnel ({@link SubnetAdvertisement}). The set is closed: the server creates requests, engines
 * only read them.
 */
@ProviderType
public sealed interface AccessRequest permits ResourceAccess, SubnetAdvertisement {

    /** Who asks. */
    Identity identity();

    /** The session the request belongs to, as {@link dev.wirehaven.api.session.SessionView#id()}. */
    String sessionId();
}
