package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Security responses that only record: blocks of an address or a /prefix, nothing enforced. */
final class FakeResponses implements SecurityResponses {

    final List<ResponseRequest> applied = new ArrayList<>();
    final List<String> undone = new ArrayList<>();
    private final List<SecurityResponse> all = new ArrayList<>();
    private final Instant now;

    FakeResponses(Instant now) {
        this.now = now;
    }

    @Override
    public SecurityResponse apply(ResponseRequest request) {
        if (!request.target().matches("[0-9.]+(/[0-9]+)?")) {
            throw new IllegalArgumentException("a block takes an address or a prefix");
        }
        applied.add(request);
        SecurityResponse r = new SecurityResponse(
                "r" + all.size(),
                request.action(),
                request.target().contains("/") ? request.target() : request.target() + "/32",
                request.reason(),
                request.requestedBy(),
                now,
                now.plus(request.duration()),
                SecurityResponse.State.ACTIVE,
                "");
        all.add(r);
        return r;
    }

    @Override
    public Optional<SecurityResponse> undo(String id, String by) {
        for (int i = 0; i < all.size(); i++) {
            SecurityResponse r = all.get(i);
            if (r.id().equals(id) && r.isActive()) {
                SecurityResponse ended = new SecurityResponse(
                        r.id(),
                        r.action(),
                        r.target(),
                        r.reason(),
                        r.requestedBy(),
                        r.started(),
                        now,
                        SecurityResponse.State.UNDONE,
                        "undone by " + by);
                all.set(i, ended);
                undone.add(id);
                return Optional.of(ended);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<SecurityResponse> active() {
        return all.stream().filter(SecurityResponse::isActive).toList();
    }

    @Override
    public List<SecurityResponse> recent(int limit) {
        List<SecurityResponse> newest = new ArrayList<>(all);
        java.util.Collections.reverse(newest);
        return newest.stream().limit(limit).toList();
    }

    @Override
    public boolean isBlocked(InetAddress source) {
        return active().stream().anyMatch(r -> r.action() == ResponseAction.BLOCK_SOURCE);
    }

    @Override
    public boolean isDisabled(String user) {
        return false;
    }
}
