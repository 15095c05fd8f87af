package dev.wirehaven.client.internal.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * A response body kept in memory up to a limit and refused beyond it, without reading the rest: an
 * answer that announces more ({@code Content-Length}) is refused before its first byte, one that sends
 * more (chunked, or lying about its length) as soon as the limit is passed, by cancelling the
 * subscription, which makes the client close the connection. At most the limit plus one network read
 * is ever held. {@link HttpResponse.BodyHandlers#ofByteArray()} would hold whatever a server sends.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long limit;
    private final boolean announcedTooMuch;
    private final Supplier<IOException> tooLarge;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long size;

    private BoundedBody(long limit, boolean announcedTooMuch, Supplier<IOException> tooLarge) {
        this.limit = limit;
        this.announcedTooMuch = announcedTooMuch;
        this.tooLarge = tooLarge;
    }

    /** Bodies of at most {@code limit} bytes; a longer one fails with {@code tooLarge}'s exception. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit, Supplier<IOException> tooLarge) {
        return info -> new BoundedBody(
                limit, info.headers().firstValueAsLong("Content-Length").orElse(-1) > limit, tooLarge);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (announcedTooMuch) {
            refuse();
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            size += b.remaining();
            if (size > limit) {
                refuse();
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            received.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(received.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    private void refuse() {
        subscription.cancel();
        received.reset();
        result.completeExceptionally(tooLarge.get());
    }
}
