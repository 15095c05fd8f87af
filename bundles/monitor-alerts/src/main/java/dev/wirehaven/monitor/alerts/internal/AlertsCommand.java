package dev.wirehaven.monitor.alerts.internal;

import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gogo command {@code wirehaven:alerts}: the thresholds and the alerts raised now, as text that the
 * shell prints (see {@link AlertTable}). It exists while the alerts sink runs.
 */
@Component(
        service = AlertsCommand.class,
        property = {"osgi.command.scope=wirehaven", "osgi.command.function=alerts"})
public final class AlertsCommand {

    private final AlertsSink sink;
    private final Clock clock;

    @Activate
    public AlertsCommand(@Reference AlertsSink sink) {
        this(sink, Clock.systemUTC());
    }

    AlertsCommand(AlertsSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** The thresholds, then the alerts raised now. */
    public String alerts() {
        AlertBoard board = sink.board();
        return AlertTable.render(board.thresholds(), board.raised(), clock.instant());
    }
}
