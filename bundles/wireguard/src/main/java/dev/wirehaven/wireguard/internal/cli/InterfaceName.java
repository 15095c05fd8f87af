package dev.wirehaven.wireguard.internal.cli;

/**
 * What Linux accepts as a network interface name (dev_valid_name): 1 to 15 bytes, not {@code .} or
 * {@code ..}, without {@code /}, {@code :} or white space. The name also becomes a file name in
 * {@code /var/run/wireguard}, which the same rules keep safe.
 */
final class InterfaceName {

    static final int IFNAMSIZ = 16;

    private InterfaceName() {}

    /** Returns why {@code name} is not valid, or {@code null} if it is. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "an interface name cannot be empty";
        }
        if (name.length() >= IFNAMSIZ || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= IFNAMSIZ) {
            return "interface name '" + name + "' is longer than " + (IFNAMSIZ - 1) + " bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a valid interface name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20 || c == 0x7f) {
                return "interface name '" + name + "' contains '" + (Character.isISOControl(c) ? "\\u" + (int) c : c)
                        + "', which Linux does not allow";
            }
        }
        if (name.startsWith("-")) {
            return "interface name '" + name + "' starts with '-' (an option?)";
        }
        return null;
    }
}
