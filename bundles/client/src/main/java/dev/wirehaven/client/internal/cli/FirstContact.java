package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.internal.trust.KeyProbe;
import dev.wirehaven.client.internal.trust.KnownServers;
import dev.wirehaven.client.internal.trust.ServerAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The server's key before the command line talks to a server for the first time. The command line
 * never trusts an unknown server by itself: a key is trusted when the user gave it
 * ({@code --fingerprint}, then compared like any pin), when it is recorded in {@code known_servers}, or
 * when the person at the terminal confirmed it after seeing it. Without a terminal and without
 * {@code --fingerprint} the connection is refused (by the client's trust, which says what the server
 * presented): a script has nobody to compare the key with the operator's.
 */
final class FirstContact {

    /** How long learning the key of an unknown server may take (TCP and the TLS handshake). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private FirstContact() {}

    /**
     * The fingerprint to connect with: the given one; {@code null} when the server is recorded, or when
     * there is no terminal to ask (the client then refuses the unknown server); else the key that the
     * person confirmed.
     *
     * @throws ClientException when the person does not confirm the key, or it cannot be learnt
     */
    static String fingerprint(URI server, String given, Path knownServersFile, Terminal terminal) throws IOException {
        if (given != null || terminal == null) {
            return given;
        }
        KnownServers known = new KnownServers(knownServersFile);
        ServerAddress address = ServerAddress.of(server);
        if (known.lookup(address).isPresent()) {
            return null;
        }
        Optional<Fingerprint> key = KeyProbe.unknownServersKey(server, known, PROBE_TIMEOUT);
        if (key.isEmpty()) {
            return null;
        }
        terminal.println("The server " + SafeText.of(address.toString()) + " is not known yet (nothing is recorded"
                + " for it in " + knownServersFile + "). Compare its key fingerprint with the one its operator"
                + " gave you.");
        String answer = terminal.readLine(
                "Trust server " + SafeText.of(address.toString()) + " with key fingerprint " + key.get() + "? [y/N] ");
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (a.equals("y") || a.equals("yes")) {
            return key.get().toString();
        }
        throw new ClientException(
                Reason.UNTRUSTED_CERTIFICATE,
                "the key of " + address + " (" + key.get() + ") was not confirmed; nothing was recorded. Check it"
                        + " with the server's operator, then answer y, or connect with --fingerprint " + key.get());
    }
}
