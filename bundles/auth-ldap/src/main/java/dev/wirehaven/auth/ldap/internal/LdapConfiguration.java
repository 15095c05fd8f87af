package dev.wirehaven.auth.ldap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One directory as the operator writes it in {@code etc/dev.wirehaven.auth.ldap-<name>.config} or
 * edits it in the Web Console. The attribute names are the configuration keys; each class that
 * uses a key checks it when the configuration is activated, and a bad value fails the activation
 * with a message that names the key ({@link LdapConfigurationException}).
 */
@ObjectClassDefinition(
        name = "Wirehaven LDAP auth provider",
        description = "An LDAP directory (OpenLDAP, Active Directory, 389 DS) that checks user names and passwords"
                + " for one auth method. One configuration per directory.")
public @interface LdapConfiguration {

    @AttributeDefinition(
            name = "Method",
            description = "The auth method this directory answers for, as realms and clients name it: lower-case"
                    + " letters, digits and hyphens. Two directories with the same method are asked highest"
                    + " ranking first, the next one only while the first is unavailable.")
    String method() default "ldap";

    @AttributeDefinition(
            name = "Ranking",
            description = "Among the providers of the same method, higher is asked first (service.ranking)")
    int service_ranking() default 0;

    @AttributeDefinition(
            name = "Server URLs",
            description = "One or more ldap://host:port or ldaps://host:port, tried in this order: the next one only"
                    + " when a connection to the one before cannot be made")
    String[] urls();

    @AttributeDefinition(
            name = "StartTLS",
            description = "Upgrade ldap:// connections with StartTLS before anything is sent (not with ldaps://)")
    boolean startTls() default false;

    @AttributeDefinition(
            name = "CA file",
            description = "PEM file with the certificates of the CA that issued the directory's certificate, for"
                    + " ldaps:// and StartTLS; empty for the Java runtime's trust store",
            required = false)
    String caFile() default "";

    @AttributeDefinition(
            name = "Service account DN",
            description = "The DN that searches users and groups; empty to search anonymously",
            required = false)
    String bindDn() default "";

    @AttributeDefinition(
            name = "Service account password file",
            description = "A file that holds the service account's password (one line; readable only by the"
                    + " server's user). The password itself is never part of the configuration.",
            required = false)
    String bindPasswordFile() default "";

    @AttributeDefinition(
            name = "User DN template",
            description = "For directories whose user DNs follow one pattern: <attribute>={0},<parent DN>, such as"
                    + " uid={0},ou=people,dc=example,dc=com; {0} is the typed name. When set, users are not searched.",
            required = false)
    String userDnTemplate() default "";

    @AttributeDefinition(
            name = "User search base",
            description = "Where users are searched (the whole subtree), such as ou=people,dc=example,dc=com",
            required = false)
    String userSearchBase() default "";

    @AttributeDefinition(
            name = "User search filter",
            description = "Finds the one entry of the typed name {0}, such as (uid={0}) or"
                    + " (&(objectClass=user)(sAMAccountName={0})); the name is escaped, so it is always a value")
    String userSearchFilter() default "(uid={0})";

    @AttributeDefinition(
            name = "User name attribute",
            description = "The attribute whose value becomes the user's name in the session (the directory's"
                    + " spelling); the typed name when the entry has none")
    String userNameAttribute() default "uid";

    @AttributeDefinition(
            name = "Groups from",
            description = "Where the user's groups come from",
            options = {
                @Option(label = "The user's memberOf attribute", value = "memberOf"),
                @Option(label = "A search for groups that name the user", value = "search"),
                @Option(label = "Nowhere: users have no groups", value = "none")
            })
    String groupsFrom() default "memberOf";

    @AttributeDefinition(
            name = "Group search base",
            description = "Where groups are searched (groups from: search); with memberOf, only groups below it count",
            required = false)
    String groupSearchBase() default "";

    @AttributeDefinition(
            name = "Group search filter",
            description = "Finds the user's groups (groups from: search): {dn} is the user's DN, {0} the user's name;"
                    + " both escaped. Such as (member={dn}) or (memberUid={0})")
    String groupSearchFilter() default "(member={dn})";

    @AttributeDefinition(name = "Group name attribute", description = "The attribute that names a group, such as cn")
    String groupNameAttribute() default "cn";

    @AttributeDefinition(
            name = "Disabled filter",
            description = "An LDAP filter that matches disabled accounts, such as (pwdAccountLockedTime=*),"
                    + " (employeeType=disabled) or, for Active Directory,"
                    + " (userAccountControl:1.2.840.113556.1.4.803:=2); empty when the directory refuses their"
                    + " binds itself",
            required = false)
    String disabledFilter() default "";

    @AttributeDefinition(
            name = "Connect timeout (ms)",
            description = "How long to wait for a connection (and its TLS handshake) to one server before trying"
                    + " the next")
    int connectTimeoutMillis() default 5000;

    @AttributeDefinition(
            name = "Response timeout (ms)",
            description =
                    "How long to wait for the answer to one request before the directory counts as" + " unavailable")
    int responseTimeoutMillis() default 5000;

    @AttributeDefinition(
            name = "Pool size",
            description =
                    "Connections kept open for searches; user passwords are checked on connections of their" + " own")
    int poolSize() default 4;

    @AttributeDefinition(name = "Prompt", description = "What the client asks the person for: one line of text")
    String prompt() default "Directory password";
}
