package dev.wirehaven.console.internal.pages;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Just enough of a servlet request and response for the pages, without a container. */
final class FakeHttp {

    private FakeHttp() {}

    static HttpServletRequest request(String user, Map<String, String> parameters) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("felix.webconsole.appRoot", "/system/console");
        if (user != null) {
            attributes.put(ConsolePage.REMOTE_USER, user);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(
                FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getRemoteUser", "getContextPath", "getServletPath" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** What a page did to its response. */
    static final class Recorded {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final StringWriter text = new StringWriter();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        String body() {
            return text + bytes.toString(StandardCharsets.UTF_8);
        }

        HttpServletResponse response() {
            PrintWriter writer = new PrintWriter(text);
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {}
            };
            return (HttpServletResponse) Proxy.newProxyInstance(
                    FakeHttp.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                            case "setContentLength" -> headers.put("Content-Length", String.valueOf(args[0]));
                            case "getWriter" -> {
                                return writer;
                            }
                            case "getOutputStream" -> {
                                return out;
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }
}
