package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import dev.wirehaven.controlapi.internal.tls.TestHttpsServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockedSourcesTest {

    @TempDir
    Path data;

    private final Set<InetAddress> blocked = ConcurrentHashMap.newKeySet();

    @Test
    void aBlockedAddressIsRefusedWithTheApisErrorFormAndOthersPass() throws Exception {
        BlockedSources filter = new BlockedSources();
        filter.bindResponses(new Blocks());
        blocked.add(InetAddress.getByName("192.0.2.66"));
        try (TestHttpsServer server = TestHttpsServer.start(data, true, context -> {
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Api()), "/api/v1/*");
        })) {
            HttpResponse<String> fromBlocked = get(server, "192.0.2.66");
            HttpResponse<String> fromOther = get(server, "192.0.2.67");

            assertEquals(403, fromBlocked.statusCode());
            assertEquals(
                    "application/json",
                    fromBlocked.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(fromBlocked.body().startsWith("{\"error\":\"forbidden\""), fromBlocked.body());
            assertEquals(200, fromOther.statusCode());

            blocked.clear(); // undone: in at once
            assertEquals(200, get(server, "192.0.2.66").statusCode());
        }
    }

    @Test
    void withoutTheResponsesBundleNothingIsBlocked() throws Exception {
        BlockedSources filter = new BlockedSources();
        Blocks responses = new Blocks();
        filter.bindResponses(responses);
        blocked.add(InetAddress.getByName("2001:db8::66"));
        assertTrue(filter.blocked("[2001:db8::66]"));
        assertTrue(filter.blocked("2001:db8::66"));

        filter.unbindResponses(responses);

        assertFalse(filter.blocked("2001:db8::66"));
    }

    @Test
    void aNameIsNeverResolvedAndAFailingResponsesServiceLetsTheRequestThrough() {
        BlockedSources filter = new BlockedSources();
        filter.bindResponses(new Blocks() {
            @Override
            public boolean isBlocked(InetAddress source) {
                throw new IllegalStateException("store gone");
            }
        });
        assertFalse(filter.blocked("localhost"));
        assertFalse(filter.blocked("192.0.2.1"));
    }

    private static HttpResponse<String> get(TestHttpsServer server, String from) throws Exception {
        return server.client()
                .send(
                        HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                                .header("X-Forwarded-For", from)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The blocks of this test; the real ones are the responses bundle's, driven end to end in the itests. */
    private class Blocks implements SecurityResponses {
        @Override
        public SecurityResponse apply(ResponseRequest request) {
            throw new UnsupportedOperationException();
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
            return blocked.contains(source);
        }

        @Override
        public boolean isDisabled(String user) {
            return false;
        }
    }

    private static final class Api extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("{}");
        }
    }
}
