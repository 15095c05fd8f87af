package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.OID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the directory entry of a typed user name, by a search ({@code userSearchBase},
 * {@code userSearchFilter}) or a DN template ({@code userDnTemplate}); reads it; and tells whether
 * it is disabled ({@code disabledFilter}).
 *
 * <p>The typed name only ever becomes an escaped value: in a filter through {@link FilterTemplate},
 * in a DN as the value of an {@link RDN} that UnboundID escapes (RFC 4514). A name such as
 * {@code alice,ou=admins} is then one odd value, not a different DN.
 */
final class UserLookup {

    /** The identity attributes taken from the entry when present, besides its DN. */
    static final String MAIL = "mail";

    static final String DISPLAY_NAME = "displayName";

    /** Matches every entry: a base-scope search with it reads the one entry it is based on. */
    private static final Filter ANY_ENTRY = Filter.createPresenceFilter("objectClass");
    /** Asks for no attributes (RFC 4511 4.5.1.8): only whether an entry matches. */
    private static final String NO_ATTRIBUTES = SearchRequest.NO_ATTRIBUTES;

    /** Template mode: the RDN attribute and the parent of a user's DN; null in search mode. */
    private final String templateAttribute;

    private final DN templateParent;
    /** Search mode: where and how; null in template mode. */
    private final DN searchBase;

    private final FilterTemplate searchFilter;
    private final String nameAttribute;
    /** Matches disabled accounts; null when the directory refuses their binds itself. */
    private final Filter disabled;

    private UserLookup(
            String templateAttribute,
            DN templateParent,
            DN searchBase,
            FilterTemplate searchFilter,
            String nameAttribute,
            Filter disabled) {
        this.templateAttribute = templateAttribute;
        this.templateParent = templateParent;
        this.searchBase = searchBase;
        this.searchFilter = searchFilter;
        this.nameAttribute = nameAttribute;
        this.disabled = disabled;
    }

    /**
     * The lookup of {@code c}'s keys {@code userDnTemplate}, {@code userSearchBase},
     * {@code userSearchFilter}, {@code userNameAttribute} and {@code disabledFilter}.
     *
     * @throws LdapConfigurationException naming the key of a value that cannot work
     */
    static UserLookup from(LdapConfiguration c) {
        String nameAttribute = attributeName("userNameAttribute", c.userNameAttribute());
        Filter disabled = c.disabledFilter().isBlank() ? null : filter("disabledFilter", c.disabledFilter());
        String template = c.userDnTemplate().strip();
        if (!template.isEmpty()) {
            int comma = template.indexOf(',');
            String first = comma < 0 ? template : template.substring(0, comma);
            int equals = first.indexOf('=');
            if (comma < 0 || equals < 0 || !first.substring(equals + 1).strip().equals("{0}")) {
                throw new LdapConfigurationException(
                        "userDnTemplate",
                        "must be <attribute>={0},<parent DN>, such as uid={0},ou=people,dc=example,dc=com: '" + template
                                + "'");
            }
            String attribute = attributeName("userDnTemplate", first.substring(0, equals));
            return new UserLookup(
                    attribute,
                    dn("userDnTemplate", template.substring(comma + 1)),
                    null,
                    null,
                    nameAttribute,
                    disabled);
        }
        if (c.userSearchBase().isBlank()) {
            throw new LdapConfigurationException(
                    "userSearchBase", "is empty: give where users are searched, or a userDnTemplate");
        }
        DN base = dn("userSearchBase", c.userSearchBase());
        FilterTemplate filter = FilterTemplate.parse("userSearchFilter", c.userSearchFilter(), Set.of("0"), "0");
        return new UserLookup(null, null, base, filter, nameAttribute, disabled);
    }

    private static String attributeName(String key, String value) {
        String name = value.strip();
        // RFC 4512: a descriptor such as uid, or a numeric OID such as 0.9.2342.19200300.100.1.1
        if (!Attribute.nameIsValid(name, false) && !OID.isStrictlyValidNumericOID(name)) {
            throw new LdapConfigurationException(key, "has '" + value + "', which is not an attribute name");
        }
        return name;
    }

    private static DN dn(String key, String value) {
        try {
            return new DN(value.strip());
        } catch (LDAPException e) {
            throw new LdapConfigurationException(key, "is not a DN: " + e.getExceptionMessage(), e);
        }
    }

    private static Filter filter(String key, String value) {
        try {
            return Filter.create(value.strip());
        } catch (LDAPException e) {
            throw new LdapConfigurationException(key, "is not an LDAP filter: " + e.getExceptionMessage(), e);
        }
    }

    /** True when the user's DN is made from the template rather than searched. */
    boolean usesTemplate() {
        return templateParent != null;
    }

    /** Template mode: the DN of the typed name, the name escaped as an RDN value. */
    DN templateDn(String typed) {
        return new DN(new RDN(templateAttribute, typed), templateParent);
    }

    /**
     * Search mode: a DN that names no user, to bind against when the search found none, so that an
     * unknown name costs the directory the same round trips as a wrong password.
     */
    DN absentUserDn() {
        return new DN(new RDN("cn", "wirehaven-absent-user"), searchBase);
    }

    /**
     * Search mode: the one entry whose filter matches {@code typed}.
     *
     * @param attributes what to read of it besides the name and identity attributes
     * @return the entry, or empty when none or several match (a name must mean one person)
     * @throws LDAPException when the directory cannot answer
     */
    Optional<SearchResultEntry> search(LDAPInterface reader, String typed, String... attributes) throws LDAPException {
        SearchRequest request = new SearchRequest(
                searchBase.toString(), SearchScope.SUB, searchFilter.fill(Map.of("0", typed)), attributes(attributes));
        // two are enough to know that the name is ambiguous
        request.setSizeLimit(2);
        SearchResult result;
        try {
            result = reader.search(request);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return Optional.empty();
            }
            throw e;
        }
        return result.getEntryCount() == 1
                ? Optional.of(result.getSearchEntries().get(0))
                : Optional.empty();
    }

    /**
     * The entry at {@code dn}, for the template mode.
     *
     * @return the entry, or empty when {@code reader} cannot see it
     */
    Optional<SearchResultEntry> read(LDAPInterface reader, DN dn, String... attributes) throws LDAPException {
        SearchRequest request = new SearchRequest(dn.toString(), SearchScope.BASE, ANY_ENTRY, attributes(attributes));
        try {
            SearchResult result = reader.search(request);
            return result.getEntryCount() == 1
                    ? Optional.of(result.getSearchEntries().get(0))
                    : Optional.empty();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** True when the {@code disabledFilter} matches the entry at {@code dn}; the directory evaluates it. */
    boolean isDisabled(LDAPInterface reader, DN dn) throws LDAPException {
        if (disabled == null) {
            return false;
        }
        // a base search with the filter: the directory applies its own matching rules and sees operational
        // attributes such as pwdAccountLockedTime, which a check of the entry read earlier would miss
        SearchRequest request = new SearchRequest(dn.toString(), SearchScope.BASE, disabled, NO_ATTRIBUTES);
        return reader.search(request).getEntryCount() > 0;
    }

    /**
     * The user's name in the session: the entry's {@code userNameAttribute} (the directory's spelling,
     * so that {@code ALICE} and {@code alice} are one user), the value equal to the typed name when there
     * are several; the typed name when the entry has none.
     */
    String userName(SearchResultEntry entry, String typed) {
        String[] values = entry.getAttributeValues(nameAttribute);
        if (values == null || values.length == 0) {
            return typed.strip();
        }
        for (String value : values) {
            if (value.equalsIgnoreCase(typed.strip())) {
                return value;
            }
        }
        return values[0];
    }

    private String[] attributes(String... more) {
        String[] all = new String[more.length + 3];
        all[0] = nameAttribute;
        all[1] = MAIL;
        all[2] = DISPLAY_NAME;
        System.arraycopy(more, 0, all, 3, more.length);
        return all;
    }

    @Override
    public String toString() {
        return usesTemplate()
                ? "UserLookup[" + templateAttribute + "={0}," + templateParent + "]"
                : "UserLookup[" + searchFilter + " below " + searchBase + "]";
    }
}
