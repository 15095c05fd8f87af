package dev.wirehaven.console.internal.pages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of the Wirehaven pages: scripts only from the console itself, no
 * plugins, no external anything, forms only to the console, no framing by others. Our pages need no
 * script at all; the console's frame around them (Felix's header) has two inline scripts (the
 * console's root path and its menu), which are allowed by their SHA-256 hashes, computed from
 * Felix's own header template as it renders for this page, so nothing else inline runs.
 */
final class ContentPolicy {

    private static final Pattern INLINE_SCRIPT =
            Pattern.compile("<script type=\"text/javascript\">(.*?)</script>", Pattern.DOTALL);

    private ContentPolicy() {}

    /**
     * @param headerTemplate Felix's {@code main_header.html}, or empty when it could not be read (the
     *     console's menu then stays unstyled; our page works the same)
     * @param appRoot the console's root path, such as {@code /system/console}
     * @param label the page's label
     */
    static String header(String headerTemplate, String appRoot, String label) {
        StringBuilder scripts = new StringBuilder("'self'");
        for (String hash : inlineScriptHashes(headerTemplate, appRoot, label)) {
            scripts.append(" 'sha256-").append(hash).append('\'');
        }
        return "default-src 'self'; script-src " + scripts
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
                + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
    }

    /** The base64 SHA-256 of each inline script of the template, with the console's variables filled in. */
    static List<String> inlineScriptHashes(String headerTemplate, String appRoot, String label) {
        List<String> hashes = new ArrayList<>();
        Matcher m = INLINE_SCRIPT.matcher(headerTemplate);
        while (m.find()) {
            String body = m.group(1).replace("${appRoot}", appRoot).replace("${head.label}", label);
            hashes.add(Base64.getEncoder().encodeToString(sha256(body)));
        }
        return hashes;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
