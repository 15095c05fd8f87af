package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control API as any HTTP client sees it: {@code curl} inside a namespace, with the body from a
 * file (so that an oversized one does not meet the argument limit). Certificates are not checked
 * here ({@code -k}); pinning is the client distribution's business and is tested there.
 */
final class Api {

    private static final String STATUS_MARK = "\n--status ";

    record Answer(int status, String body) {
        /** A string field of the JSON body, found by name (the bodies here are flat). */
        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(body);
            if (!m.find()) {
                throw new AssertionError("no field " + name + " in " + this);
            }
            return m.group(1);
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    private final Netns ns;
    private final String base;

    Api(Netns ns, String base) {
        this.ns = ns;
        this.base = base;
    }

    Answer call(String method, String path, String token, String json) throws IOException {
        return callAs(method, path, token, json, "application/json");
    }

    Answer callAs(String method, String path, String token, String body, String contentType) throws IOException {
        List<String> argv = new ArrayList<>(
                List.of("curl", "-sk", "--max-time", "30", "-X", method, "-w", STATUS_MARK + "%{http_code}"));
        if (token != null) {
            argv.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        Path file = null;
        if (body != null) {
            file = Files.createTempFile("wirehaven-api-", ".body");
            Files.writeString(file, body, StandardCharsets.UTF_8);
            argv.addAll(List.of("-H", "Content-Type: " + contentType, "--data-binary", "@" + file));
        }
        argv.add(base + path);
        try {
            Command.Result r = ns.exec(60, Map.of(), argv.toArray(String[]::new));
            String out = r.stdout();
            int mark = out.lastIndexOf(STATUS_MARK);
            if (mark < 0) {
                throw new AssertionError("curl gave no status (exit " + r.exitCode() + "): " + r.stderr());
            }
            return new Answer(
                    Integer.parseInt(out.substring(mark + STATUS_MARK.length()).trim()), out.substring(0, mark));
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
