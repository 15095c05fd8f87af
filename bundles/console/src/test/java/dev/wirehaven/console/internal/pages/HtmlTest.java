package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void markupBecomesText() {
        assertEquals(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
                Html.text("<script>alert(\"x\")</script> & '"));
    }

    @Test
    void controlAndBidiCharactersAreShownNotObeyed() {
        // a device name that would read "laptop-txt.exe" reversed, and one that starts a new line
        assertEquals("laptop\\u202eexe.txt", Html.text("laptop\u202eexe.txt"));
        assertEquals("a\\u000ab\\u0000c\\u2066d\\u200be", Html.text("a\nb\u0000c\u2066d\u200be"));
        assertEquals("\\u0085\\u2028", Html.text("\u0085\u2028"));
    }

    @Test
    void ordinaryNamesInAnyScriptStayAsTheyAre() {
        assertEquals(
                "Zoë's Müller-laptop 東京", Html.text("Zoë's Müller-laptop 東京").replace("&#39;", "'"));
        assertEquals("\uD83D\uDCBB", Html.text("\uD83D\uDCBB"), "a laptop emoji is a pair, not two lone halves");
    }

    @Test
    void aLoneSurrogateIsShown() {
        assertEquals("x\\ud800", Html.text("x\ud800"));
    }

    @Test
    void longValuesAreCut_andNullIsEmpty() {
        String cut = Html.text("a".repeat(10_000));
        assertEquals(Html.MAX_CHARS + 1, cut.length());
        assertTrue(cut.endsWith("\u2026"));
        assertEquals("", Html.text(null));
    }
}
