package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.policy.acl.internal.language.InvalidPolicyException;
import dev.wirehaven.policy.acl.internal.language.PolicyError;
import dev.wirehaven.policy.acl.internal.language.PolicyParser;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings edits of the policy file into force. A scheduler calls {@link #reloadIfChanged()} every poll
 * interval; it reads the file and acts on what it finds once that has stayed the same for two polls in a
 * row, and once per distinct state:
 *
 * <ul>
 * <li>a valid file becomes the next version of the policy, and the listener announces it;</li>
 * <li>a file with mistakes is rejected: the version in force stays, one ERROR lists every mistake;</li>
 * <li>an unsafe or unreadable file is refused the same way, with the fix;</li>
 * <li>a missing file keeps the version in force (a WARN says so): deleting the file by mistake, or an
 *     editor that deletes before it writes, must not drop every rule. An empty file has no rules.</li>
 * </ul>
 *
 * <p>Polling rather than a {@code WatchService}: editors replace the file by renaming a new one over it,
 * which a watch on the file misses and a watch on the directory reports in ways that differ between
 * platforms, and on some file systems (NFS, some containers' volumes) no events arrive at all. Reading a
 * file of a few kilobytes four times a second costs nothing. The content's hash, not the modification time
 * or size, says whether it changed: times can be coarse or restored by an editor, and an edit can keep the
 * size. The two-poll wait keeps a file that an editor is still writing in place (truncated, half written,
 * perhaps valid but short of rules) from being put in force, at the cost of one poll interval.
 */
final class PolicyWatcher {

    /** What a call did, for tests and for {@code acl:show}. */
    enum Outcome {
        /** The file is as it was when last acted on. */
        UNCHANGED,
        /** The file changed since the last poll; it is acted on if it stays so until the next. */
        SETTLING,
        /** A new version is in force. */
        INSTALLED,
        /** The file has mistakes; the version in force stays. */
        REJECTED,
        /** The file is unsafe or unreadable; the version in force stays. */
        REFUSED,
        /** There is no file; the version in force stays. */
        MISSING
    }

    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);

    private final PolicyFile file;
    private final boolean configured;
    private final ActivePolicy active;
    private final Clock clock;
    private final Consumer<ActivePolicy.Version> installed;

    /** The state seen by the last poll, and the last one acted on; only the polling thread uses them. */
    private String seen;

    private String actedOn;

    /**
     * @param file the policy file
     * @param configured true when the operator named the file (a missing one is then a warning, not news)
     * @param active where the policy in force is kept
     * @param clock the time of versions and rejections
     * @param installed told of each new version, on the thread that installed it
     */
    PolicyWatcher(
            PolicyFile file,
            boolean configured,
            ActivePolicy active,
            Clock clock,
            Consumer<ActivePolicy.Version> installed) {
        this.file = file;
        this.configured = configured;
        this.active = active;
        this.clock = clock;
        this.installed = installed;
    }

    /** Reads the file and acts at once: at activation no editor is racing the server. */
    synchronized Outcome loadNow() {
        FileState state = file.read();
        seen = state.key();
        return act(state);
    }

    /** Reads the file and acts when it has changed and settled; see the class comment. */
    synchronized Outcome reloadIfChanged() {
        FileState state = file.read();
        String key = state.key();
        String previous = seen;
        seen = key;
        if (key.equals(actedOn)) {
            return Outcome.UNCHANGED;
        }
        if (!key.equals(previous)) {
            return Outcome.SETTLING;
        }
        return act(state);
    }

    private Outcome act(FileState state) {
        actedOn = state.key();
        if (state instanceof FileState.Content content) {
            return apply(content);
        }
        ActivePolicy.Version current = active.current();
        if (state instanceof FileState.Refused refused) {
            active.reject(new ActivePolicy.Rejection(
                    clock.instant(),
                    List.of(refused.toString()),
                    List.of(new PolicyError(file.path().toString(), 0, "file", refused.problem(), refused.fix()))));
            LOG.error("The policy file is refused: {}. {}", refused, inForce(current));
            return Outcome.REFUSED;
        }
        if (current.number() > 0) {
            LOG.warn(
                    "The policy file {} is gone. {} To take every rule away, empty the file instead of deleting it.",
                    file.path(),
                    inForce(current));
        } else if (configured) {
            LOG.warn(
                    "The policy file {} does not exist: the acl engine has no rules and answers NOT_APPLICABLE to"
                            + " every request until it is created.",
                    file.path());
        } else {
            LOG.info(
                    "There is no policy file {}: the acl engine has no rules and answers NOT_APPLICABLE to every"
                            + " request. Create the file to give it rules.",
                    file.path());
        }
        return Outcome.MISSING;
    }

    private Outcome apply(FileState.Content content) {
        Policy policy;
        try {
            policy = PolicyParser.parse(file.path().toString(), content.text());
        } catch (InvalidPolicyException e) {
            List<String> messages =
                    e.errors().stream().map(PolicyError::toString).toList();
            active.reject(new ActivePolicy.Rejection(clock.instant(), messages, e.errors()));
            LOG.error(
                    "The policy file {} has {} mistake(s) and is not in force. {}\n  {}",
                    file.path(),
                    messages.size(),
                    inForce(active.current()),
                    String.join("\n  ", messages));
            return Outcome.REJECTED;
        }
        ActivePolicy.Version version = active.install(policy, content.text(), clock.instant());
        LOG.info(
                "Policy version {} from {} is in force: {} rule(s), {} advertisement(s).",
                version.number(),
                file.path(),
                policy.rules().size(),
                policy.advertisements().size());
        installed.accept(version);
        return Outcome.INSTALLED;
    }

    private static String inForce(ActivePolicy.Version current) {
        return current.number() == 0
                ? "No policy is in force: the acl engine answers NOT_APPLICABLE to every request."
                : "Version " + current.number() + " (loaded " + current.since() + ") stays in force.";
    }
}
