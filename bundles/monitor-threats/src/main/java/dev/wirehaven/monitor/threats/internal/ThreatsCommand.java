package dev.wirehaven.monitor.threats.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The gogo command {@code wirehaven:threats}: the detectors with their settings (and a refused
 * configuration, if any), whether responses can be carried out, and the last findings, newest first,
 * each with what became of its response. Like the other {@code wirehaven:} commands it returns the text
 * that the shell prints.
 */
@Component(
        service = ThreatsCommand.class,
        property = {"osgi.command.scope=wirehaven", "osgi.command.function=threats"})
public final class ThreatsCommand {

    private final FindingReporter reporter;

    @Reference(
            service = Detector.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<Detector> detectors = new CopyOnWriteArrayList<>();

    @Activate
    public ThreatsCommand(@Reference FindingReporter reporter) {
        this.reporter = reporter;
    }

    /** For tests: with these detectors. */
    ThreatsCommand(FindingReporter reporter, List<Detector> detectors) {
        this.reporter = reporter;
        this.detectors.addAll(detectors);
    }

    /** Detectors, settings and the last findings. */
    public String threats() {
        StringBuilder b = new StringBuilder("Detectors:\n");
        detectors.stream()
                .sorted(Comparator.comparing(Detector::name))
                .forEach(d -> b.append("  ").append(d.describe()).append('\n'));
        if (!reporter.canRespond()) {
            b.append("Responses: none can be carried out (no security responses service: install the server's"
                    + " responses bundle); findings are reported only\n");
        }
        List<FindingReporter.Reported> recent = reporter.recent();
        b.append("Last findings (")
                .append(recent.size())
                .append(", newest first, at most ")
                .append(FindingReporter.KEPT)
                .append("):\n");
        for (FindingReporter.Reported r : recent) {
            b.append("  ").append(FindingReporter.describe(r)).append('\n');
        }
        return b.toString();
    }
}
