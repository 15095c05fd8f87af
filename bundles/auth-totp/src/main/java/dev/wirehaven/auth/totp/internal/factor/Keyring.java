package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.auth.totp.internal.crypto.KeyFileException;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeyFile;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeys;
import dev.wirehaven.auth.totp.internal.store.TotpRepository;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The keys of {@link TotpKeyFile}, read once and kept: a login checks no file, and the file's
 * permissions and owner are checked when it is read. The file is made by the first enrollment, never
 * by a login, and never while the store holds secrets: a new key would not decrypt them, so a key file
 * that went missing is reported, not replaced.
 */
final class Keyring {

    private final TotpKeyFile file;
    private final TotpRepository repository;
    private final SecureRandom random;
    private volatile TotpKeys keys;

    Keyring(TotpKeyFile file, TotpRepository repository, SecureRandom random) {
        this.file = file;
        this.repository = repository;
        this.random = random;
    }

    TotpKeyFile file() {
        return file;
    }

    /**
     * The keys for checking a code, or empty when there is no key file yet (then nobody has enrolled).
     *
     * @throws KeyFileException when the file is there but cannot be used
     */
    Optional<TotpKeys> forChecking() throws KeyFileException {
        TotpKeys k = keys;
        if (k != null) {
            return Optional.of(k);
        }
        if (!file.exists()) {
            return Optional.empty();
        }
        return Optional.of(read(false));
    }

    /**
     * The keys for checking the code of a user who has a secret.
     *
     * @throws KeyFileException when there is no usable key file
     */
    TotpKeys required() throws KeyFileException {
        Optional<TotpKeys> k = forChecking();
        if (k.isEmpty()) {
            throw missing();
        }
        return k.get();
    }

    /**
     * The keys for a new enrollment: the key file is created when there is none and no secret needs one.
     *
     * @throws KeyFileException when the file cannot be used or made, or is missing while secrets exist
     */
    TotpKeys forEnrolling() throws KeyFileException {
        TotpKeys k = keys;
        if (k != null) {
            return k;
        }
        if (!file.exists() && repository.anySecret()) {
            throw missing();
        }
        return read(true);
    }

    private synchronized TotpKeys read(boolean create) throws KeyFileException {
        if (keys == null) {
            keys = create ? file.loadOrCreate(random) : file.load();
        }
        return keys;
    }

    private KeyFileException missing() {
        return new KeyFileException("The TOTP key file " + file.path() + " is missing, but the store holds"
                + " authenticator secrets that only it decrypts. Restore it from a backup; if it is lost, remove every"
                + " enrollment (totp:remove <user>) and enroll the users again, which makes a new key.");
    }
}
