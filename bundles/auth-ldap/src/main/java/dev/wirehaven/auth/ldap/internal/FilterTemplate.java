package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An LDAP filter from the configuration with placeholders such as {@code {0}} or {@code {dn}}, filled
 * with values that come from the client (the typed name) or the directory (a DN).
 *
 * <p>Every value is escaped as an assertion value ({@link Filter#encodeValue(String)}, RFC 4515), so
 * that a name such as {@code *} or {@code )(uid=*} stays a value and never becomes filter syntax
 * (LDAP injection). The placeholders are replaced in one pass, so a value that itself contains
 * {@code {dn}} is not filled a second time. A brace in a value of the filter itself is written
 * escaped, {@code \7b}.
 */
final class FilterTemplate {

    /** Any {@code {name}}: an unknown one ({@code {1}}, {@code {DN}}) is refused, not searched for literally. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final String template;

    private FilterTemplate(String template) {
        this.template = template;
    }

    /**
     * Checks {@code template}: it must use {@code required} and parse as a filter once filled.
     *
     * @param allowed the placeholders it may use, such as {@code 0} and {@code dn}
     * @param required a placeholder it must use, or {@code null}
     * @throws LdapConfigurationException naming {@code key}
     */
    static FilterTemplate parse(String key, String template, Set<String> allowed, String required) {
        String t = template.strip();
        if (t.isEmpty()) {
            throw new LdapConfigurationException(key, "is empty");
        }
        Matcher m = PLACEHOLDER.matcher(t);
        boolean hasRequired = false;
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw new LdapConfigurationException(key, "may not use " + m.group() + " (only " + allowed + ")");
            }
            hasRequired |= m.group(1).equals(required);
        }
        if (required != null && !hasRequired) {
            throw new LdapConfigurationException(key, "does not use {" + required + "}: '" + t + "'");
        }
        FilterTemplate parsed = new FilterTemplate(t);
        try {
            parsed.fill(Map.of("0", "probe", "dn", "cn=probe"));
        } catch (LDAPException e) {
            throw new LdapConfigurationException(key, "is not an LDAP filter: " + e.getExceptionMessage(), e);
        }
        return parsed;
    }

    /** The filter with each placeholder replaced by its escaped value from {@code values}. */
    Filter fill(Map<String, String> values) throws LDAPException {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for " + m.group());
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(Filter.encodeValue(value)));
        }
        m.appendTail(filled);
        return Filter.create(filled.toString());
    }

    @Override
    public String toString() {
        return template;
    }
}
