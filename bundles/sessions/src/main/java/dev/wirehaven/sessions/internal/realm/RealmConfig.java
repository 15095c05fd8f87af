package dev.wirehaven.sessions.internal.realm;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One auth realm as the operator writes it in {@code etc/dev.wirehaven.auth.realm-<name>.config} or
 * edits it in the Web Console. The attribute names are the configuration keys.
 */
@ObjectClassDefinition(
        name = "Wirehaven auth realm",
        description = "Which users a realm serves, the auth methods they log in with (primary), the second factor"
                + " they must add, and the fallback used while the primary provider is unavailable.")
public @interface RealmConfig {

    @AttributeDefinition(
            name = "Name",
            description = "The realm's name, shown in the event log and the session's identity; letters, digits,"
                    + " '-', '_' and '.'")
    String name();

    @AttributeDefinition(
            name = "Users",
            description = "Which users the realm serves: '*' for everyone, '@example.com' for names ending in that"
                    + " domain, or a regular expression that must match the whole user name")
    String users() default "*";

    @AttributeDefinition(
            name = "Primary methods",
            description = "The auth methods of the first factor, best first (the providers' method names, such as"
                    + " ldap, oidc or password)")
    String[] primary();

    @AttributeDefinition(
            name = "Second factor methods",
            description = "The methods of which one must follow the first factor when 'Second factor for' says so,"
                    + " such as totp",
            required = false)
    String[] secondFactor() default {};

    @AttributeDefinition(
            name = "Second factor for",
            description = "Who must add a second factor: none, everyone, groups (members of 'Second factor groups'),"
                    + " or enrolled (users who have set the method up)")
    String secondFactorFor() default "none";

    @AttributeDefinition(
            name = "Second factor groups",
            description = "For 'groups': the groups whose members must add a second factor",
            required = false)
    String[] secondFactorGroups() default {};

    @AttributeDefinition(
            name = "Fallback methods",
            description = "Methods asked, with the same credential, when every provider of the primary method is"
                    + " unavailable (the directory is down), such as password",
            required = false)
    String[] fallback() default {};

    @AttributeDefinition(
            name = "Fallback groups",
            description = "When not empty, a login through the fallback keeps only these of the user's groups, so that"
                    + " the policy can give it less",
            required = false)
    String[] fallbackGroups() default {};

    @AttributeDefinition(
            name = "Ranking",
            description = "Realms are matched highest first; the first that serves the user with the method wins")
    int service_ranking() default 0;
}
