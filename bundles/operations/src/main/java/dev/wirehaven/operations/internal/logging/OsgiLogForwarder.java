package dev.wirehaven.operations.internal.logging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Writes every OSGi Log Service entry to SLF4J, and so to the server's log: what FileInstall, SCR,
 * Configuration Admin, the framework and any plugin that uses the Log Service report. It replaces
 * Felix Logback 1.0.6, which fails on every entry with logback 1.5.
 *
 * <p>Each entry is written once: the listener is added once to each Log Service reader (a reader
 * delivers only its own service's entries), and the forwarder is the only bridge in the
 * distribution. Nothing comes back round: the forwarder writes to SLF4J alone, and the server's
 * logback configuration writes to the console and files, never to the Log Service. Entries logged
 * before this bundle starts are not replayed: a replay cannot tell them from the ones a previous
 * activation already forwarded.
 */
@Component(
        service = {},
        immediate = true)
public final class OsgiLogForwarder implements LogListener {

    private final Set<LogReaderService> readers = ConcurrentHashMap.newKeySet();

    @Activate
    public OsgiLogForwarder() {
        // the readers arrive through the bind method, which SCR calls after construction
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeReader")
    void addReader(LogReaderService reader) {
        if (readers.add(reader)) {
            reader.addLogListener(this);
        }
    }

    /** Also called for every reader when the component deactivates, as SCR unbinds its references. */
    void removeReader(LogReaderService reader) {
        if (readers.remove(reader)) {
            reader.removeLogListener(this);
        }
    }

    @Override
    public void logged(LogEntry entry) {
        ForwardedEntry.of(entry).write();
    }
}
