package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.controlapi.internal.tls.TestHttpsServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalOnlyOutsideApiTest {

    @TempDir
    Path data;

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @CsvSource({
        "/system/console, 127.0.0.1, true",
        "/system/console, ::1, true",
        "/system/console, 0:0:0:0:0:0:0:1, true",
        "/system/console, ::ffff:127.0.0.1, true",
        "/system/console, 192.0.2.1, false",
        "/system/console, 2001:db8::1, false",
        "/, 192.0.2.1, false",
        "/apis, 192.0.2.1, false",
        "/api, 192.0.2.1, true",
        "/api/v1/sessions, 192.0.2.1, true",
        "/system/console, localhost, false",
    })
    void otherHostsReachOnlyTheControlApi(String path, String remote, boolean admitted) {
        assertEquals(admitted, LocalOnlyOutsideApi.admits(path, remote));
    }

    /**
     * Through Jetty, with the client's address taken from X-Forwarded-For (only in this test's Jetty),
     * so that a loopback connection stands for a client on another host.
     */
    @Test
    void theWebConsoleRefusesOtherHostsAndStillAnswersThisOne() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(data, true, context -> {
            context.addFilter(new FilterHolder(new LocalOnlyOutsideApi()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Console()), "/system/console/*");
            context.addServlet(new ServletHolder(new Console()), "/api/v1/*");
        })) {
            HttpResponse<String> remote = server.client()
                    .send(
                            HttpRequest.newBuilder(server.http("/system/console"))
                                    .header("X-Forwarded-For", "192.0.2.1")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> traversal = server.client()
                    .send(
                            HttpRequest.newBuilder(server.http("/api/v1/../../system/console"))
                                    .header("X-Forwarded-For", "192.0.2.1")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> api = server.client()
                    .send(
                            HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                                    .header("X-Forwarded-For", "192.0.2.1")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> local = server.client()
                    .send(
                            HttpRequest.newBuilder(server.http("/system/console"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertEquals(403, remote.statusCode());
            assertTrue(remote.body().contains("ssh -L"), remote.body());
            assertTrue(traversal.statusCode() == 403 || traversal.statusCode() == 400, "not served: " + traversal);
            assertEquals(200, api.statusCode());
            assertEquals(200, local.statusCode());
        }
    }

    private static final class Console extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("console");
        }
    }
}
