package dev.wirehaven.monitor.threats.internal;

import java.lang.annotation.Annotation;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every detector does with its configuration: types the component properties (see
 * {@link TypedConfig}), reads them into checked settings, and when a value is bad, refuses the whole
 * configuration with one ERROR line (PID, key, value, fix) and keeps the last
 * good one; a detector whose very first configuration is bad runs on its defaults. The refusal stays
 * visible in {@code wirehaven:threats} until a good configuration replaces it.
 *
 * @param <C> the typed configuration
 * @param <S> the checked settings
 */
abstract class ConfiguredDetector<C extends Annotation, S> implements Detector {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredDetector.class);

    private final String name;
    private final Class<C> type;
    private S settings;
    private String refused = "";

    ConfiguredDetector(String name, Class<C> type) {
        this.name = name;
        this.type = type;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * The configuration PID: the name with dots for its hyphens, because FileInstall reads a hyphen in
     * an etc/ file name as the start of a factory configuration's name.
     */
    final String pid() {
        return "dev.wirehaven.threats." + name.replace('-', '.');
    }

    /** Checks a configuration; throws on the first bad value. */
    abstract S read(SettingsReader reader, C config) throws BadSetting;

    /** Takes new settings; {@code previous} is {@code null} the first time. Called holding the lock. */
    abstract void apply(S previous, S next);

    /** Applies component properties, or refuses them as the class comment says. Returns true when applied. */
    final synchronized boolean configure(Map<String, ?> properties) {
        try {
            return configure(TypedConfig.fromProperties(pid(), type, properties));
        } catch (BadSetting e) {
            refuse(e);
            return false;
        }
    }

    /** Applies {@code config}, or refuses it as the class comment says. Returns true when applied. */
    final synchronized boolean configure(C config) {
        try {
            S next = read(new SettingsReader(pid()), config);
            apply(settings, next);
            settings = next;
            refused = "";
            return true;
        } catch (BadSetting e) {
            refuse(e);
            return false;
        }
    }

    private void refuse(BadSetting e) {
        LOG.error(e.getMessage());
        refused = e.getMessage();
        if (settings == null) {
            try {
                settings = read(new SettingsReader(pid()), TypedConfig.of(type, Map.of()));
                apply(null, settings);
            } catch (BadSetting impossible) {
                throw new IllegalStateException("the defaults of " + pid() + " are refused", impossible);
            }
        }
    }

    /** The settings in force. */
    final synchronized S settings() {
        return settings;
    }

    @Override
    public final synchronized String describe() {
        return name + " (" + pid() + "): " + describe(settings)
                + (refused.isEmpty() ? "" : "\n    REFUSED: " + refused);
    }

    /** The settings in one or two lines. */
    abstract String describe(S settings);
}
