package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.policy.acl.internal.policy.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The protocols and ports of a rule: {@code tcp/22,443 udp/53}, {@code tcp/8000-8100}, {@code tcp} (every
 * TCP port), {@code icmp}, {@code any}. A bare port continues the protocol before it, so {@code tcp/22,443}
 * is TCP 22 and TCP 443. No protocol at all means every protocol.
 */
final class ServiceParser {

    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");
    private static final int MAX_PORT = 65535;

    private ServiceParser() {}

    /** The services of the items, or {@code null} when one is wrong (reported). */
    static List<Service> parse(List<String> items, int line, Problems problems) {
        if (items.isEmpty()) {
            return List.of(Service.ANY);
        }
        int before = problems.count();
        List<Service> services = new ArrayList<>();
        Protocol current = null;
        for (String item : items) {
            String text = item.toLowerCase(Locale.ROOT);
            int slash = text.indexOf('/');
            String head = slash < 0 ? text : text.substring(0, slash);
            if (!head.isEmpty() && Character.isDigit(head.charAt(0)) && slash < 0) {
                if (current == null) {
                    problems.add(
                            line,
                            "ports",
                            "port " + item + " has no protocol",
                            "write tcp/" + item + " or udp/" + item);
                } else {
                    range(current, text, item, line, problems, services);
                }
                continue;
            }
            current = null;
            switch (head) {
                case "tcp", "udp" -> {
                    current = head.equals("tcp") ? Protocol.TCP : Protocol.UDP;
                    if (slash < 0) {
                        services.add(new Service(current, 0, 0));
                    } else {
                        range(current, text.substring(slash + 1), item, line, problems, services);
                    }
                }
                case "icmp", "any" -> {
                    if (slash >= 0) {
                        problems.add(
                                line,
                                "ports",
                                head + " has no ports",
                                "write " + head + " alone, without /" + text.substring(slash + 1));
                    } else {
                        services.add(head.equals("any") ? Service.ANY : new Service(Protocol.ICMP, 0, 0));
                    }
                }
                default ->
                    problems.add(
                            line,
                            "protocol",
                            "'" + head + "' is not a protocol here",
                            "use tcp, udp, icmp or any, as in tcp/22,443 or udp/53");
            }
        }
        return problems.count() == before ? services : null;
    }

    /** Adds the range {@code text} of {@code item} (as written, for messages). */
    /** The number, or one past the last port when it has more digits than a port can. */
    private static int number(String digits) {
        return digits.length() > 5 ? MAX_PORT + 1 : Integer.parseInt(digits);
    }

    private static void range(
            Protocol protocol, String text, String item, int line, Problems problems, List<Service> out) {
        String name = protocol.name().toLowerCase(Locale.ROOT);
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            problems.add(
                    line,
                    "ports",
                    "'" + item + "' is not a port or a port range",
                    "write a port such as " + name + "/443 or a range such as " + name + "/8000-8100");
            return;
        }
        int first = number(m.group(1));
        int last = m.group(2) == null ? first : number(m.group(2));
        if (first < 1 || last < 1 || first > MAX_PORT || last > MAX_PORT) {
            problems.add(line, "ports", "'" + item + "' is outside 1-65535", "use ports from 1 to 65535");
        } else if (first > last) {
            problems.add(
                    line,
                    "ports",
                    "the range '" + item + "' runs backwards",
                    "write the lower port first: " + last + "-" + first);
        } else {
            out.add(new Service(protocol, first, last));
        }
    }
}
