package dev.wirehaven.example.monitor.webhook.internal;

import dev.wirehaven.api.monitor.MonitoringSink;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Makes the {@link WebhookSink} when its configuration exists ({@code REQUIRE}: without
 * {@code etc/dev.wirehaven.example.monitor.webhook.cfg} nothing happens) and registers it as a
 * {@link MonitoringSink}.
 *
 * <p>Why it registers the service itself instead of declaring {@code service = MonitoringSink.class}:
 * Declarative Services copies every configuration property onto the service it registers, where any
 * bundle, the shell ({@code inspect cap service}) and the web console can read it. Here that would
 * publish the {@code secret}, and the {@code url}, whose path is the credential of a chat webhook. The
 * service gets only its name.
 */
@Component(
        configurationPid = WebhookSink.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = WebhookSink.Config.class)
public final class WebhookSinkComponent {

    private final WebhookSink sink;
    private final ServiceRegistration<MonitoringSink> registration;

    @Activate
    public WebhookSinkComponent(BundleContext context, WebhookSink.Config config) {
        this.sink = new WebhookSink(config, WebhookSender.THREAD_SLEEP);
        this.registration = context.registerService(
                MonitoringSink.class,
                sink,
                FrameworkUtil.asDictionary(Map.of(MonitoringSink.NAME_PROPERTY, WebhookSink.NAME)));
    }

    @Deactivate
    void deactivate() {
        // stop retrying first: the server waits only briefly for the delivery in progress
        sink.stop();
        registration.unregister();
    }
}
