package dev.wirehaven.console.internal.pages;

/** Small pieces of markup that the pages share. */
final class Blocks {

    private Blocks() {}

    static String cell(String text) {
        return "<td>" + Html.text(text) + "</td>";
    }

    /** The message of the last action, if any; the texts are the pages' own, never from the request. */
    static void notice(StringBuilder b, String notice) {
        if (!notice.isEmpty()) {
            b.append("<p class=\"ui-state-highlight ui-corner-all\" id=\"notice\">")
                    .append(Html.text(notice))
                    .append("</p>");
        }
    }

    /** A part of the server that the page needs is not there. */
    static void unavailable(StringBuilder b, String message) {
        b.append("<p class=\"ui-state-error ui-corner-all unavailable\">")
                .append(Html.text(message))
                .append("</p>");
    }
}
