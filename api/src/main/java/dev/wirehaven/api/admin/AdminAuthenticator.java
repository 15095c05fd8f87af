package dev.wirehaven.api.admin;

import dev.wirehaven.api.auth.PasswordCredential;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies the operator's admin credential (the user and password that the server creates on its
 * first start). The web console's security provider uses it, so the console accepts this
 * credential and never a built-in default; the control API's admin endpoints will use it too.
 *
 * <p>Provided by the server bundle. The service is registered only once the credential exists, so
 * a front end that requires it cannot start open.
 */
@ProviderType
public interface AdminAuthenticator {

    /**
     * True when {@code credential} is the admin credential. Compares in constant time and takes the
     * same time whether the user name or the password is wrong, so that timing reveals neither. It
     * does not clear the credential: the caller owns it and should clear it afterwards.
     *
     * @throws IllegalStateException when the credential has been cleared already
     */
    boolean verify(PasswordCredential credential);
}
