package dev.wirehaven.controlapi.internal.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request's body without holding a request thread, against a total deadline.
 *
 * <p>A blocking read holds a container thread for as long as the client takes to send, and Jetty's
 * idle timeout only bounds the pause between two bytes: a client that sends a byte every few seconds
 * keeps a thread for ever, and a few hundred of them take the whole pool. Here the request is suspended
 * ({@link AsyncContext}) and the container calls {@link ReadListener} as bytes arrive, so that waiting
 * costs no thread; and the whole body must be in within the deadline (the sessions' {@code
 * api.body.timeout}), else the request is answered 408 and its connection closed.
 *
 * <p>Exactly one of these ends a reading, and is handed to {@link Then} on a container thread: the
 * body read to its end (at most {@value JsonBodies#MAX_BODY_BYTES} bytes), 413 for a longer one (read
 * on and dropped up to {@value JsonBodies#MAX_DRAINED_BYTES} bytes, so that the client, which sends its
 * whole body before it reads, sees why), 400 for a body that breaks off, 408 at the deadline. The
 * suspended request is completed after {@link Then} has answered.
 */
final class BodyReader implements ReadListener {

    /** What to do with the body, or with the refusal that ended the reading; runs on a container thread. */
    @FunctionalInterface
    interface Then {
        void accept(byte[] body, ApiRefusal refusal) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

    private final AsyncContext async;
    private final ServletInputStream in;
    private final Duration timeout;
    private final Then then;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];
    /** Bytes read so far. The container calls back one at a time; the deadline's thread only reads {@link #ended}. */
    private final AtomicInteger total = new AtomicInteger();

    private volatile DeadlineTimer.Scheduled deadline;

    private BodyReader(AsyncContext async, ServletInputStream in, Duration timeout, Then then) {
        this.async = async;
        this.in = in;
        this.timeout = timeout;
        this.then = then;
    }

    /**
     * Suspends the request and reads its body, then hands it (or the refusal) to {@code then}.
     *
     * @param timeout how long the whole body may take, from now
     */
    static void read(HttpServletRequest request, Duration timeout, DeadlineTimer timer, Then then) throws IOException {
        AsyncContext async = request.startAsync();
        // the deadline is ours; the container's async timeout would also cut the flow step that follows
        async.setTimeout(0);
        BodyReader reader = new BodyReader(async, request.getInputStream(), timeout, then);
        reader.deadline = timer.schedule(timeout, reader::deadlinePassed);
        try {
            reader.in.setReadListener(reader);
        } catch (IllegalStateException e) {
            if (!reader.ended.get()) {
                throw e;
            }
            // the deadline passed before reading even began, and answered already
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!ended.get() && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return; // onAllDataRead follows
            }
            int read = total.addAndGet(n);
            if (read <= JsonBodies.MAX_BODY_BYTES) {
                body.write(buffer, 0, n);
            } else if (read > JsonBodies.MAX_DRAINED_BYTES) {
                end(null, JsonBodies.tooLarge());
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (total.get() > JsonBodies.MAX_BODY_BYTES) {
            end(null, JsonBodies.tooLarge());
        } else {
            end(body.toByteArray(), null);
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.debug("Request body broke off: {}", failure.toString());
        end(null, ApiRefusal.invalid("The request body could not be read to its end"));
    }

    /** On the timer's thread: the answer goes out on a container thread, as every other answer does. */
    private void deadlinePassed() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ApiRefusal refusal = ApiRefusal.bodyTimeout(
                "The request body did not arrive within " + timeout.toSeconds() + " s; send the whole body at once");
        try {
            async.start(() -> answer(null, refusal));
        } catch (IllegalStateException gone) {
            // the request ended meanwhile (the client went away): nobody is left to answer
            LOG.debug("Request body deadline passed after the request ended: {}", gone.toString());
        }
    }

    private void end(byte[] bytes, ApiRefusal refusal) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        DeadlineTimer.Scheduled scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel();
        }
        answer(bytes, refusal);
    }

    private void answer(byte[] bytes, ApiRefusal refusal) {
        try {
            then.accept(bytes, refusal);
        } catch (IOException | RuntimeException e) {
            LOG.debug("The answer after the request body did not reach the client: {}", e.toString());
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyEnded) {
                LOG.debug("The request ended before its answer was complete: {}", alreadyEnded.toString());
            }
        }
    }
}
