package dev.wirehaven.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's tasks on users' authenticators for the TOTP second factor: see where a user stands,
 * start an enrollment, confirm it with a code from the app, remove it. The same checks and sentences as
 * the Gogo commands {@code totp:status}, {@code totp:enroll}, {@code totp:confirm} and {@code
 * totp:remove}; the hints in the sentences name those commands (backup codes are made there).
 *
 * <p>Provided by the TOTP bundle ({@code dev.wirehaven.auth-totp}) while it runs; used by the web
 * console. Each method throws {@link AdminActionException} with the sentence to show on refusal or
 * failure (an invalid name, a wrong code, an unusable key file, the store failing).
 *
 * @since 1.1
 */
@ProviderType
public interface SecondFactorEnrollment {

    /** Where {@code user}'s enrollment stands. */
    SecondFactorStatus status(String user) throws AdminActionException;

    /**
     * Makes a new secret for {@code user} and stores it unconfirmed, replacing an unconfirmed one;
     * refused while a confirmed one exists (remove it first). Until {@link #confirm} succeeds the user
     * counts as not enrolled.
     *
     * @return the secret to hand to the user once
     */
    NewAuthenticator start(String user) throws AdminActionException;

    /**
     * Confirms {@code user}'s new authenticator with a current code from the app; that code cannot then
     * be used to log in.
     *
     * @return the sentence to show
     */
    String confirm(String user, String code) throws AdminActionException;

    /**
     * Removes {@code user}'s authenticator (confirmed or not) and backup codes.
     *
     * @return the sentence to show
     */
    String remove(String user) throws AdminActionException;
}
