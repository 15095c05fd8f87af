package dev.wirehaven.policy.acl.internal.engine;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration {@value AclComponent#PID}; without one the defaults apply. */
@ObjectClassDefinition(
        name = "Wirehaven ACL policy engine",
        description = "The policy engine 'acl': ordered allow, deny and step-up rules per user and group from a"
                + " policy file, reloaded on every valid edit.")
public @interface AclConfig {

    @AttributeDefinition(
            name = "Policy file",
            description = "The policy file. Empty for etc/policy.acl in the server's home; a relative path is"
                    + " relative to the home.",
            required = false)
    String file() default "";

    @AttributeDefinition(
            name = "Decision lifetime (seconds)",
            description = "How long the server may reuse a decision at most; shorter when a time window opens or"
                    + " closes sooner. An edit of the policy withdraws decisions at once.",
            min = "0")
    long decision_ttl_seconds() default 60;

    @AttributeDefinition(
            name = "Poll interval (milliseconds)",
            description = "How often the file is read for edits; an edit is in force after two polls.",
            min = "50",
            max = "10000")
    long poll_interval_millis() default 250;
}
