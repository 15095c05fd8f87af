package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link TcpTransfer} between two namespaces: the receiver listens, the sender streams. */
final class Transfer {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Process receiver;
    final Process sender;
    final Path receiverLog;
    final Path senderLog;

    private Transfer(Process receiver, Process sender, Path receiverLog, Path senderLog) {
        this.receiver = receiver;
        this.sender = sender;
        this.receiverLog = receiverLog;
        this.senderLog = senderLog;
    }

    /**
     * Starts a transfer of {@code bytes} from {@code from} to {@code listenAddress:port} in {@code to};
     * {@code bytesPerSecond} 0 sends as fast as the tunnel allows.
     */
    static Transfer start(
            Netns from,
            Netns to,
            String listenAddress,
            int port,
            long bytes,
            long bytesPerSecond,
            int timeoutSeconds,
            Path logDir)
            throws IOException {
        int n = COUNTER.incrementAndGet();
        Path receiverLog = logDir.resolve("transfer" + n + "-receiver.log");
        Path senderLog = logDir.resolve("transfer" + n + "-sender.log");
        Files.deleteIfExists(receiverLog);
        Files.deleteIfExists(senderLog);
        Process receiver = Helpers.spawn(
                to,
                receiverLog,
                TcpTransfer.class,
                "receive",
                listenAddress,
                Integer.toString(port),
                Integer.toString(timeoutSeconds));
        Helpers.awaitLine(receiverLog, "listening", receiver, 30);
        Process sender = Helpers.spawn(
                from,
                senderLog,
                TcpTransfer.class,
                "send",
                listenAddress,
                Integer.toString(port),
                Long.toString(bytes),
                Long.toString(n),
                Integer.toString(timeoutSeconds),
                Long.toString(bytesPerSecond));
        return new Transfer(receiver, sender, receiverLog, senderLog);
    }

    /** Waits for both ends and returns their summaries ({@code bytes=.. sha256=..}): sender first. */
    String[] await(int timeoutSeconds) throws IOException {
        try {
            boolean senderDone = sender.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            boolean receiverDone = receiver.waitFor(senderDone ? 30 : 1, TimeUnit.SECONDS);
            if (!senderDone || !receiverDone) {
                sender.destroyForcibly();
                receiver.destroyForcibly();
                throw new AssertionError("transfer did not finish within " + timeoutSeconds + " s; sender: "
                        + Files.readString(senderLog) + " receiver: " + Files.readString(receiverLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String[] {summary(senderLog), summary(receiverLog)};
    }

    private static String summary(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("bytes=")) {
                return line.trim();
            }
        }
        return "(no summary) " + Files.readString(log).trim();
    }
}
