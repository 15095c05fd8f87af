package dev.wirehaven.policy.acl.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One policy for every gateway node of a cluster: the nodes share a database, and this keeps each
 * node's policy file in line with the document there ({@link PolicyDocuments}). The file stays where
 * the operator (and the console) edits a node's policy and where its watcher loads it from; the store
 * only carries it between the nodes:
 *
 * <ul>
 * <li>a valid edit put in force on one node is published as the next version of the document;</li>
 * <li>a newer document than this node last saw, made elsewhere, is written into this node's file,
 *     which its watcher then loads as any edit (an invalid one is rejected there and the version in
 *     force stays, with the ERROR that lists the mistakes);</li>
 * <li>two edits on two nodes at once: the one published last wins, and the other node takes it.</li>
 * </ul>
 *
 * <p>At the start, a document that differs from the file wins, unless the file was changed after the
 * document was (an edit made while the node was down): then the file is published. A database that
 * cannot be reached leaves the policy in force; the next round tries again.
 *
 * <p>One round per watcher poll, on the poll's thread.
 */
final class SharedPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SharedPolicy.class);

    private final PolicyDocuments documents;
    private final PolicyFile file;
    private final ActivePolicy active;
    private final Clock clock;
    private final String node;

    /** The document version this node last took or published; -1: take the store's whatever it is. */
    private long known = -1;
    /** While this node's file holds a document written here that the watcher has not loaded yet: its version number before. */
    private long waitingAbove = -1;

    /**
     * @param node who publishes, for the document's {@code changed_by} and the other nodes' logs
     */
    SharedPolicy(PolicyDocuments documents, PolicyFile file, ActivePolicy active, Clock clock, String node) {
        this.documents = documents;
        this.file = file;
        this.active = active;
        this.clock = clock;
        this.node = node;
    }

    /** After the watcher's first load: decides whether the store's document or this node's file wins. */
    synchronized void start() {
        try {
            documents.create();
            Optional<PolicyDocuments.Document> doc = documents.read();
            String mine = inForceSha();
            if (doc.isPresent() && doc.get().sha256().equals(mine)) {
                known = doc.get().version();
            } else if (doc.isPresent()
                    && mine != null
                    && fileChangedAfter(doc.get().changedAt())) {
                known = doc.get().version(); // the file is newer: the next round publishes it
                LOG.info(
                        "The policy file {} was changed after the cluster's policy (version {} from {} at {}):"
                                + " it becomes the cluster's policy",
                        file.path(),
                        doc.get().version(),
                        doc.get().changedBy(),
                        doc.get().changedAt());
            }
        } catch (SQLException e) {
            LOG.warn("The cluster's policy could not be read ({}); this node's file is in force", e.getMessage());
        }
        round();
    }

    /** One round: see the class comment. */
    synchronized void round() {
        Optional<PolicyDocuments.Document> doc;
        try {
            doc = documents.read();
        } catch (SQLException e) {
            LOG.debug("The cluster's policy could not be read this round: {}", e.getMessage());
            return;
        }
        ActivePolicy.Version inForce = active.current();
        if (waitingAbove >= 0 && inForce.number() <= waitingAbove) {
            return; // the watcher has not loaded what was written into the file yet (or rejected it)
        }
        waitingAbove = -1;
        String mine = inForceSha();
        if (doc.isPresent() && doc.get().sha256().equals(mine)) {
            known = doc.get().version();
            return;
        }
        if (doc.isPresent() && doc.get().version() > known) {
            take(doc.get(), inForce);
        } else if (mine != null) {
            publish(inForce);
        }
    }

    /** Writes a document made on another node into this node's file, for the watcher to load. */
    private void take(PolicyDocuments.Document doc, ActivePolicy.Version inForce) {
        try {
            write(doc.text());
        } catch (IOException e) {
            LOG.error(
                    "The cluster's policy version {} (from {}) could not be written into {}: {}; this node keeps"
                            + " its policy. Let the server's user write the file and its directory.",
                    doc.version(),
                    doc.changedBy(),
                    file.path(),
                    e.toString());
            return;
        }
        known = doc.version();
        waitingAbove = inForce.number();
        LOG.info(
                "The cluster's policy version {} from {} ({}) written into {}",
                doc.version(),
                doc.changedBy(),
                doc.changedAt(),
                file.path());
    }

    private void publish(ActivePolicy.Version inForce) {
        try {
            PolicyDocuments.Document now =
                    documents.publish(inForce.text(), sha256(inForce.text()), node, clock.instant());
            known = now.version();
            LOG.info(
                    "Policy version {} of {} is the cluster's policy version {}: the other nodes take it",
                    inForce.number(),
                    file.path(),
                    now.version());
        } catch (SQLException e) {
            LOG.warn("The policy could not be given to the other nodes this round: {}", e.getMessage());
        }
    }

    /** Replaces the file whole (a new file renamed over it), with the permissions the old one had. */
    private void write(String text) throws IOException {
        Path target = file.path();
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException(target + " has no directory to write a new file in");
        }
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-r-----");
        if (Files.exists(target)) {
            try {
                permissions = Files.getPosixFilePermissions(target);
            } catch (UnsupportedOperationException e) {
                permissions = null;
            }
        }
        Path next = Files.createTempFile(dir, ".policy-", ".tmp");
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
            if (permissions != null) {
                Files.setPosixFilePermissions(next, permissions);
            }
            Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }

    private boolean fileChangedAfter(Instant when) {
        try {
            return Files.getLastModifiedTime(file.path()).toInstant().isAfter(when);
        } catch (IOException e) {
            return false;
        }
    }

    /** The SHA-256 of the text in force, null before any file was loaded. */
    private String inForceSha() {
        ActivePolicy.Version v = active.current();
        return v.number() == 0 ? null : sha256(v.text());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
