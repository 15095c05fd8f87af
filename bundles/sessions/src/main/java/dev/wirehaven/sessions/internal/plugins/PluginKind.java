package dev.wirehaven.sessions.internal.plugins;

/** The three plugin SPIs of the api, with the words that log lines and the plugins table use for them. */
public enum PluginKind {
    AUTH_PROVIDER("auth provider", "Auth providers"),
    POLICY_ENGINE("policy engine", "Policy engines"),
    MONITORING_SINK("monitoring sink", "Monitoring sinks");

    private final String singular;
    private final String heading;

    PluginKind(String singular, String heading) {
        this.singular = singular;
        this.heading = heading;
    }

    /** "auth provider", as in "Bound auth provider ...". */
    public String singular() {
        return singular;
    }

    /** "Auth providers", the heading of the kind's section in the plugins table. */
    public String heading() {
        return heading;
    }
}
