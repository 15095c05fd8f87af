package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which of the server's auth methods the client answers, and what it asks the person for it.
 *
 * <p>A server of protocol 1.1 sends a {@link MethodPrompt} per method, and its kind alone decides
 * what is asked: a method named {@code ldap} of kind {@code PASSWORD} is a password, whatever its
 * name. A 1.0 server sends no prompts; then the name decides as it always did ({@code password}, the
 * one-time code methods {@code totp}, {@code otp} and {@code hotp}, a token for any other), so that a
 * client keeps working with a server it was written for.
 */
final class MethodChoice {

    /** The built-in method of local users, preferred when offered (docs/control-api.md). */
    static final String PASSWORD = "password";

    private final CredentialPrompter prompter;
    private final String username;
    /** The method the application chose, or null for the default choice. */
    private final String preferred;

    MethodChoice(CredentialPrompter prompter, String username, String preferred) {
        this.prompter = prompter;
        this.username = username;
        this.preferred = preferred;
    }

    /**
     * The first factor: the application's method when the server offers it; else, without prompts,
     * {@code password} when offered or the server's first method; else the first method of kind
     * {@code PASSWORD}, or failing that the first whose kind the prompter answers.
     */
    MethodPrompt first(List<String> methods, List<MethodPrompt> prompts) throws ClientException {
        if (methods.isEmpty()) {
            throw new ClientException(
                    Reason.REFUSED,
                    "the server offers no auth method for " + username + "; ask its operator to allow 'password'");
        }
        if (preferred != null) {
            if (!methods.contains(preferred)) {
                throw new ClientException(
                        Reason.REFUSED,
                        "the server does not offer the auth method '" + preferred + "' for " + username + "; it offers "
                                + String.join(", ", methods));
            }
            return promptOf(preferred, prompts);
        }
        if (prompts.isEmpty()) {
            return byName(methods.contains(PASSWORD) ? PASSWORD : methods.get(0));
        }
        List<MethodPrompt> offered = offered(methods, prompts);
        if (prompter.answers(CredentialKind.PASSWORD)) {
            for (MethodPrompt p : offered) {
                if (p.kind() == CredentialKind.PASSWORD) {
                    return p;
                }
            }
        }
        return answerable(offered);
    }

    /**
     * A further factor ({@code another_factor_required}) or a step-up: without prompts the server's
     * first method, as before; else the first whose kind the prompter answers.
     */
    MethodPrompt next(List<String> methods, List<MethodPrompt> prompts) throws ClientException {
        if (prompts.isEmpty()) {
            if (methods.isEmpty()) {
                throw new ClientException(Reason.REFUSED, "the server asks for another factor but names none");
            }
            return byName(methods.get(0));
        }
        return answerable(offered(methods.isEmpty() ? methodsOf(prompts) : methods, prompts));
    }

    /** The methods in the server's order, each with its prompt, or by its name where the server gave none. */
    private List<MethodPrompt> offered(List<String> methods, List<MethodPrompt> prompts) throws ClientException {
        List<MethodPrompt> offered = new ArrayList<>();
        for (String m : methods) {
            offered.add(promptOf(m, prompts));
        }
        return offered;
    }

    private MethodPrompt answerable(List<MethodPrompt> offered) throws ClientException {
        for (MethodPrompt p : offered) {
            if (prompter.answers(p.kind())) {
                return p;
            }
        }
        throw new ClientException(
                Reason.NO_CREDENTIALS,
                "the server asks " + username + " for "
                        + offered.stream()
                                .map(p -> p.method() + " (" + describe(p.kind()) + ")")
                                .collect(Collectors.joining(" or "))
                        + ", which this client cannot answer");
    }

    private MethodPrompt promptOf(String method, List<MethodPrompt> prompts) throws ClientException {
        for (MethodPrompt p : prompts) {
            if (p.method().equals(method)) {
                return p;
            }
        }
        return byName(method);
    }

    /** What a 1.0 client made of a method's name; the prompt text is then the kind's standard one. */
    static MethodPrompt byName(String method) throws ClientException {
        CredentialKind kind = switch (method) {
            case PASSWORD -> CredentialKind.PASSWORD;
            case "totp", "otp", "hotp" -> CredentialKind.ONE_TIME_CODE;
            default -> CredentialKind.BEARER_TOKEN;
        };
        try {
            return new MethodPrompt(method, kind, "");
        } catch (IllegalArgumentException e) {
            throw new ClientException(
                    Reason.REFUSED, "the server names an auth method that is not valid: " + e.getMessage(), e);
        }
    }

    static List<String> methodsOf(List<MethodPrompt> prompts) {
        return prompts.stream().map(MethodPrompt::method).toList();
    }

    private static String describe(CredentialKind kind) {
        return switch (kind) {
            case PASSWORD -> "a password";
            case ONE_TIME_CODE -> "a one-time code";
            case BEARER_TOKEN -> "a token";
            case APPROVAL -> "an approval in a browser";
            default -> kind.toString();
        };
    }
}
