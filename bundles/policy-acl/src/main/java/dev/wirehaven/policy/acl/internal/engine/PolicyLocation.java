package dev.wirehaven.policy.acl.internal.engine;

import java.nio.file.Path;

/**
 * Where the policy file is: the configured {@code file}, relative to the server's home when not absolute,
 * or {@value #DEFAULT} in the home. The home is the framework property {@value #HOME_PROPERTY} that
 * {@code bin/wirehaven} sets; without it, the working directory (which is the installation).
 *
 * @param path the file, absolute
 * @param configured true when the operator named it
 */
record PolicyLocation(Path path, boolean configured) {

    static final String HOME_PROPERTY = "wirehaven.home";
    static final String DEFAULT = "etc/policy.acl";

    static PolicyLocation of(String file, String home) {
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home.strip());
        boolean configured = file != null && !file.isBlank();
        Path path = base.resolve(configured ? file.strip() : DEFAULT);
        return new PolicyLocation(path.toAbsolutePath().normalize(), configured);
    }
}
