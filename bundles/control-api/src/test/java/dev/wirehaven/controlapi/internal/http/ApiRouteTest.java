package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRouteTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "POST, /sessions, REQUEST_CONNECTION, ",
        "POST, /sessions/s1/auth, AUTHENTICATE, s1",
        "GET, /sessions/s1/server-config, SERVER_CONFIG, s1",
        "PUT, /sessions/s1/client-config, CLIENT_CONFIG, s1",
        "POST, /sessions/s1/confirm, CONFIRM, s1",
        "POST, /sessions/s1/status, REPORT, s1",
        "GET, /sessions/s1, STATUS, s1",
        "GET, /sessions/s1/policy, POLICY, s1",
        "POST, /sessions/s1/policy-ack, POLICY_ACK, s1",
        "POST, /sessions/s1/reauth, REAUTHENTICATE, s1",
        "DELETE, /sessions/s1, DISCONNECT, s1",
        "GET, /sessions/Ab-9_z, STATUS, Ab-9_z",
    })
    void everyCallOfTheDocumentHasItsRoute(String method, String path, ApiRoute route, String sessionId)
            throws ApiRefusal {
        assertEquals(new ApiRoute.Match(route, sessionId), ApiRoute.match(method, path));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET, , 404",
        "GET, /, 404",
        "POST, /session, 404",
        "GET, /sessions/s1/unknown, 404",
        "GET, /sessions/s1/auth/more, 404",
        "GET, /sessions/s.1, 404",
        "GET, /sessions//auth, 404",
        "GET, /sessions, 405",
        "PUT, /sessions/s1, 405",
        "GET, /sessions/s1/auth, 405",
        "POST, /sessions/s1/server-config, 405",
        "HEAD, /sessions/s1, 405",
    })
    void otherPathsAndMethodsAreRefused(String method, String path, int status) {
        ApiRefusal refusal = assertThrows(ApiRefusal.class, () -> ApiRoute.match(method, path));

        assertEquals(status, refusal.status());
    }
}
