package dev.wirehaven.auth.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.unboundid.ldap.sdk.Filter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Values become escaped assertion values (RFC 4515), never filter syntax. */
class FilterTemplateTest {

    private static final FilterTemplate USER = FilterTemplate.parse("userSearchFilter", "(uid={0})", Set.of("0"), "0");

    private static String userFilter(String typed) throws Exception {
        return USER.fill(Map.of("0", typed)).toString();
    }

    @Test
    void filterSyntaxInANameIsEscaped() throws Exception {
        assertEquals("(uid=\\2a)", userFilter("*"));
        assertEquals("(uid=\\29\\28uid=\\2a)", userFilter(")(uid=*"));
        assertEquals("(uid=ali\\2a)", userFilter("ali*"));
        assertEquals("(uid=\\5c2a)", userFilter("\\2a"));
        assertEquals("(uid=nul\\00)", userFilter("nul\0"));
    }

    @Test
    void anEscapedNameIsOneEqualityValue() throws Exception {
        Filter filter = USER.fill(Map.of("0", "alice)(|(uid=*"));
        assertEquals(Filter.FILTER_TYPE_EQUALITY, filter.getFilterType());
        assertEquals("alice)(|(uid=*", filter.getAssertionValue());
    }

    @Test
    void placeholdersAreFilledOnceSoAValueIsNeverFilledAgain() throws Exception {
        FilterTemplate groups =
                FilterTemplate.parse("groupSearchFilter", "(|(member={dn})(memberUid={0}))", Set.of("0", "dn"), null);
        Filter filter = groups.fill(Map.of("0", "{dn}", "dn", "uid={0},ou=people,dc=example,dc=com"));
        assertEquals("uid={0},ou=people,dc=example,dc=com", filter.getComponents()[0].getAssertionValue());
        assertEquals("{dn}", filter.getComponents()[1].getAssertionValue());
    }
}
