package dev.wirehaven.sessions.internal.plugins;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gogo command {@code wirehaven:plugins}: lists the bound auth providers, policy engines and
 * monitoring sinks with their bundles. It returns the table as a String, which the shell prints and
 * which a {@code CommandSession.execute("wirehaven:plugins")} caller receives as the result.
 * Gogo finds the command through the {@code osgi.command.*} service properties and calls the public
 * method by reflection, so this bundle needs no dependency on gogo.
 */
@Component(
        service = PluginsCommand.class,
        property = {"osgi.command.scope=wirehaven", "osgi.command.function=plugins"})
public final class PluginsCommand {

    private final PluginRegistry registry;

    @Activate
    public PluginsCommand(@Reference PluginRegistry registry) {
        this.registry = registry;
    }

    /** The table of bound plugins; see {@link PluginTable}. */
    public String plugins() {
        return PluginTable.render(registry.snapshot());
    }
}
