package dev.wirehaven.sessions.internal.response;

import dev.wirehaven.api.response.SecurityResponses;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a security response disabled a user, asked at every login and re-authentication, whatever
 * provider proved the user: a directory's account cannot be disabled from here, but its logins can be
 * refused. The responses bundle keeps the responses; without it, nobody is disabled.
 *
 * <p>A responses service that fails lets the login through (and says so in the log): it is a layer on
 * top of the credential check, which has already passed, and an outage of it must not lock every user
 * out.
 */
@Component(service = DisabledUsers.class)
public final class DisabledUsers {

    private static final Logger LOG = LoggerFactory.getLogger(DisabledUsers.class);

    private volatile SecurityResponses responses;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindResponses")
    void bindResponses(SecurityResponses bound) {
        responses = bound;
    }

    void unbindResponses(SecurityResponses gone) {
        if (responses == gone) {
            responses = null;
        }
    }

    /** True when a response in force disables {@code user}. */
    public boolean isDisabled(String user) {
        SecurityResponses current = responses;
        if (current == null) {
            return false;
        }
        try {
            return current.isDisabled(user);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not ask the security responses whether '{}' is disabled; letting the login through",
                    user,
                    e);
            return false;
        }
    }
}
