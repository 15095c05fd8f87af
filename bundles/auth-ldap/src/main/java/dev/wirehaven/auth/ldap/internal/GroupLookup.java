package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The groups of a user, which the policies refer to: from the user's {@code memberOf} attribute
 * (Active Directory, OpenLDAP with the memberof overlay, 389 DS) or from a search for the groups
 * that name the user ({@code groupOfNames}, {@code posixGroup}). Nested groups are not followed,
 * except where the directory does it itself (in Active Directory with the filter
 * {@code (member:1.2.840.113556.1.4.1941:={dn})}).
 */
final class GroupLookup {

    /** The attribute in which the directory lists the groups of a member. */
    static final String MEMBER_OF = "memberOf";

    /** Where groups come from: the configuration's {@code groupsFrom}. */
    enum Source {
        MEMBER_OF,
        SEARCH,
        NONE
    }

    private final Source source;
    /** Search: where groups are searched. memberOf: only groups below it count, or all when null. */
    private final DN base;

    private final FilterTemplate filter;
    private final String nameAttribute;

    private GroupLookup(Source source, DN base, FilterTemplate filter, String nameAttribute) {
        this.source = source;
        this.base = base;
        this.filter = filter;
        this.nameAttribute = nameAttribute;
    }

    /**
     * The lookup of {@code c}'s keys {@code groupsFrom}, {@code groupSearchBase},
     * {@code groupSearchFilter} and {@code groupNameAttribute}.
     *
     * @throws LdapConfigurationException naming the key of a value that cannot work
     */
    static GroupLookup from(LdapConfiguration c) {
        Source source = switch (c.groupsFrom().strip().toLowerCase(Locale.ROOT)) {
            case "memberof" -> Source.MEMBER_OF;
            case "search" -> Source.SEARCH;
            case "none" -> Source.NONE;
            default ->
                throw new LdapConfigurationException(
                        "groupsFrom", "is '" + c.groupsFrom() + "', not memberOf, search or none");
        };
        String nameAttribute = c.groupNameAttribute().strip();
        if (nameAttribute.isEmpty()) {
            throw new LdapConfigurationException("groupNameAttribute", "is empty");
        }
        DN base = null;
        if (!c.groupSearchBase().isBlank()) {
            try {
                base = new DN(c.groupSearchBase().strip());
            } catch (LDAPException e) {
                throw new LdapConfigurationException("groupSearchBase", "is not a DN: " + e.getExceptionMessage(), e);
            }
        }
        FilterTemplate filter = null;
        if (source == Source.SEARCH) {
            if (base == null) {
                throw new LdapConfigurationException(
                        "groupSearchBase", "is empty but groupsFrom is search: give where groups are searched");
            }
            filter = FilterTemplate.parse("groupSearchFilter", c.groupSearchFilter(), Set.of("0", "dn"), null);
        }
        return new GroupLookup(source, base, filter, nameAttribute);
    }

    /** The attributes of the user's entry that this lookup reads. */
    String[] userAttributes() {
        return source == Source.MEMBER_OF ? new String[] {MEMBER_OF} : new String[0];
    }

    /**
     * The names of the groups of {@code user}.
     *
     * @param user the user's entry, read with {@link #userAttributes()}
     * @param userName the user's name in the session, for {@code {0}} in the group filter
     * @throws LDAPException when the directory cannot answer the group search
     */
    Set<String> groupsOf(LDAPInterface reader, SearchResultEntry user, String userName) throws LDAPException {
        return switch (source) {
            case NONE -> Set.of();
            case MEMBER_OF -> fromMemberOf(user);
            case SEARCH -> fromSearch(reader, user, userName);
        };
    }

    private Set<String> fromMemberOf(SearchResultEntry user) {
        Set<String> groups = new TreeSet<>();
        String[] values = user.getAttributeValues(MEMBER_OF);
        if (values == null) {
            return groups;
        }
        for (String value : values) {
            DN group;
            try {
                group = new DN(value);
            } catch (LDAPException e) {
                continue; // not a DN: not a group the directory could have meant
            }
            if (base != null && !group.isDescendantOf(base, false)) {
                continue;
            }
            String name = nameOf(group.getRDN());
            if (name != null && !name.isBlank()) {
                groups.add(name);
            }
        }
        return groups;
    }

    /** The value of the group's RDN for the name attribute (cn=vpn-users → vpn-users), or its first value. */
    private String nameOf(RDN rdn) {
        if (rdn == null) {
            return null;
        }
        String[] names = rdn.getAttributeNames();
        String[] values = rdn.getAttributeValues();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(nameAttribute)) {
                return values[i];
            }
        }
        return values.length == 0 ? null : values[0];
    }

    private Set<String> fromSearch(LDAPInterface reader, SearchResultEntry user, String userName) throws LDAPException {
        SearchRequest request = new SearchRequest(
                base.toString(),
                SearchScope.SUB,
                filter.fill(Map.of("dn", user.getDN(), "0", userName)),
                nameAttribute);
        Set<String> groups = new TreeSet<>();
        for (SearchResultEntry group : reader.search(request).getSearchEntries()) {
            String name = group.getAttributeValue(nameAttribute);
            if (name != null && !name.isBlank()) {
                groups.add(name);
            }
        }
        return groups;
    }

    @Override
    public String toString() {
        return "GroupLookup[" + source + (filter == null ? "" : " " + filter) + (base == null ? "" : " below " + base)
                + "]";
    }
}
