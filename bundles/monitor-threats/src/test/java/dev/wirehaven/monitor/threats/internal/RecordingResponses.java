package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A fake {@link SecurityResponses} that records the requests and carries each one out on paper. */
final class RecordingResponses implements SecurityResponses {

    final List<ResponseRequest> requests = new ArrayList<>();
    RuntimeException failure;

    @Override
    public SecurityResponse apply(ResponseRequest r) {
        if (failure != null) {
            throw failure;
        }
        requests.add(r);
        Instant now = Instant.EPOCH;
        return new SecurityResponse(
                "r" + requests.size(),
                r.action(),
                r.target(),
                r.reason(),
                r.requestedBy(),
                now,
                r.action().isLasting() ? now.plus(r.duration()) : now,
                r.action().isLasting() ? SecurityResponse.State.ACTIVE : SecurityResponse.State.DONE,
                "");
    }

    @Override
    public Optional<SecurityResponse> undo(String id, String by) {
        return Optional.empty();
    }

    @Override
    public List<SecurityResponse> active() {
        return List.of();
    }

    @Override
    public List<SecurityResponse> recent(int limit) {
        return List.of();
    }

    @Override
    public boolean isBlocked(InetAddress source) {
        return false;
    }

    @Override
    public boolean isDisabled(String user) {
        return false;
    }
}
