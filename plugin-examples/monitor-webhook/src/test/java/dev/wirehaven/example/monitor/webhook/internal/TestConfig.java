package dev.wirehaven.example.monitor.webhook.internal;

import dev.wirehaven.api.monitor.Severity;
import java.lang.annotation.Annotation;

/** The sink's configuration as a test gives it. */
record TestConfig(String url, Severity minimumSeverity, boolean sessionEvents, String secret, String timeout)
        implements WebhookSink.Config {

    /** The defaults, with a URL. */
    TestConfig(String url) {
        this(url, Severity.MEDIUM, false, "", "5s");
    }

    TestConfig withSecret(String s) {
        return new TestConfig(url, minimumSeverity, sessionEvents, s, timeout);
    }

    TestConfig withSessionEvents() {
        return new TestConfig(url, minimumSeverity, true, secret, timeout);
    }

    TestConfig withTimeout(String t) {
        return new TestConfig(url, minimumSeverity, sessionEvents, secret, t);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return WebhookSink.Config.class;
    }
}
