package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPolicyTest {

    @Test
    void allowsTheFramesInlineScriptsByTheHashOfTheirRenderedText() throws Exception {
        String template = "<head><script type=\"text/javascript\">\n appRoot = \"${appRoot}\";"
                + " pluginRoot = \"${appRoot}/${head.label}\";\n</script>"
                + "<script src=\"${appRoot}/res/lib/jquery.js\"></script></head>";
        String rendered = "\n appRoot = \"/system/console\"; pluginRoot = \"/system/console/wirehaven-sessions\";\n";
        String expected = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8)));

        assertEquals(
                List.of(expected), ContentPolicy.inlineScriptHashes(template, "/system/console", "wirehaven-sessions"));
        assertTrue(ContentPolicy.header(template, "/system/console", "wirehaven-sessions")
                .contains("script-src 'self' 'sha256-" + expected + "';"));
    }

    @Test
    void neverAllowsInlineScriptsOrOtherOrigins() {
        String policy = ContentPolicy.header(ConsolePage.FelixHeader.TEMPLATE, "/system/console", "x");
        String scripts =
                policy.substring(policy.indexOf("script-src"), policy.indexOf(';', policy.indexOf("script-src")));
        assertFalse(scripts.contains("unsafe"), scripts);
        assertFalse(policy.contains("*"), policy);
        assertFalse(policy.contains("http"), policy);
        assertTrue(policy.contains("frame-ancestors 'self'"), policy);
        assertTrue(policy.contains("form-action 'self'"), policy);
        assertTrue(policy.contains("object-src 'none'"), policy);
    }

    @Test
    void felixsHeaderTemplateIsFound_withItsTwoInlineScripts() {
        assertEquals(
                2,
                ContentPolicy.inlineScriptHashes(ConsolePage.FelixHeader.TEMPLATE, "/system/console", "x")
                        .size());
    }

    @Test
    void withoutATemplateOnlyTheConsolesOwnScriptFilesRun() {
        assertTrue(ContentPolicy.header("", "/system/console", "x").contains("script-src 'self';"));
    }
}
