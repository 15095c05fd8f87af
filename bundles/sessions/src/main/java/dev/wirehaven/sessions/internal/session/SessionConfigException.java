package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.server.support.config.ConfigurationOrigin;

/**
 * A session configuration value that cannot be used, in one sentence: the configuration (PID and
 * file), the key, what is wrong and what to write instead. The component logs it as one ERROR line;
 * a stack trace would add nothing an operator can act on, so it carries none.
 */
final class SessionConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SessionConfigException(ConfigurationOrigin origin, String key, String problem, String fix) {
        super(origin.describe() + ": " + key + " " + problem + "; " + fix, null, false, false);
    }
}
