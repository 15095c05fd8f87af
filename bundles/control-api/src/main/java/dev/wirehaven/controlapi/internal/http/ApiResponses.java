package dev.wirehaven.controlapi.internal.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Writes the answers of the control API. Every answer is marked {@code Cache-Control: no-store}:
 * grants carry tokens and configurations carry keys, and no cache on the way may keep them.
 */
final class ApiResponses {

    private final JsonBodies json;

    ApiResponses(JsonBodies json) {
        this.json = json;
    }

    /** An answer with a JSON body. */
    void send(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.encode(body);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(JsonBodies.MEDIA_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** 204: done, nothing to say. */
    void noContent(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.setHeader("Cache-Control", "no-store");
    }

    /** The error answer of a refusal, with its headers. */
    void refuse(HttpServletResponse response, ApiRefusal refusal) throws IOException {
        if (response.isCommitted()) {
            // part of an answer is on its way: there is nothing left to say in this exchange
            return;
        }
        response.reset();
        for (Map.Entry<String, String> header : refusal.headers().entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        send(response, refusal.status(), refusal.body());
    }
}
