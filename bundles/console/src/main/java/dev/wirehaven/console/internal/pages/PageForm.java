package dev.wirehaven.console.internal.pages;

/**
 * What a page's forms need: where they post (the page itself) and the admin's form token, which
 * every form carries as a hidden field.
 *
 * @param action the page's path, such as {@code /system/console/wirehaven-security}
 * @param token the signed-in admin's form token; empty when no admin is known (the forms then fail)
 */
record PageForm(String action, String token) {

    /** The opening tag of a POST form to the page, with the token field. */
    String open(String id) {
        return "<form method=\"post\" action=\"" + Html.text(action) + "\"" + (id.isEmpty() ? "" : " id=\"" + id + "\"")
                + "><input type=\"hidden\" name=\"" + CsrfTokens.FIELD + "\" value=\"" + Html.text(token) + "\"/>";
    }

    /** A form of one button that posts {@code name=value} (and the token). */
    String button(String name, String value, String label, String title) {
        return open("") + "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.text(value) + "\"/>"
                + "<button type=\"submit\" class=\"ui-button\" title=\"" + Html.text(title) + "\">" + Html.text(label)
                + "</button></form>";
    }
}
