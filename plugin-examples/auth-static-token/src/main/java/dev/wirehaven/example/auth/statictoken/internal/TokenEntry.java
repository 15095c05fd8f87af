package dev.wirehaven.example.auth.statictoken.internal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One configured token: the user it authenticates, the SHA-256 of the token, and the user's groups.
 * Written in configuration as {@code <user>:<hex sha256>:<group>,<group>...} (the groups may be empty).
 * Only the hash is configured, so a leaked configuration file does not leak the tokens.
 *
 * @param user the user name
 * @param sha256 the SHA-256 of the token's UTF-8 bytes, 32 bytes
 * @param groups the user's groups
 */
record TokenEntry(String user, byte[] sha256, Set<String> groups) {

    TokenEntry {
        sha256 = sha256.clone();
        groups = Set.copyOf(groups);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Parses one configuration line; the message of the exception says what is wrong without echoing it. */
    static TokenEntry parse(String line) {
        String[] parts = line.strip().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected <user>:<hex sha256>:<groups>");
        }
        String user = parts[0].strip();
        if (user.isEmpty()) {
            throw new IllegalArgumentException("the user name is empty");
        }
        String hex = parts[1].strip();
        if (hex.length() != 64) {
            throw new IllegalArgumentException("the SHA-256 must be 64 hex digits");
        }
        byte[] hash;
        try {
            hash = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the SHA-256 must be 64 hex digits", e);
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String g : parts[2].split(",")) {
            if (!g.isBlank()) {
                groups.add(g.strip());
            }
        }
        return new TokenEntry(user, hash, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenEntry t
                && user.equals(t.user)
                && Arrays.equals(sha256, t.sha256)
                && groups.equals(t.groups);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "TokenEntry[" + user + "]";
    }
}
