package dev.wirehaven.client.internal.cli;

/** The help texts of {@code wirehaven-client}, one per command. */
final class Usage {

    static final String OVERVIEW = """
            usage: wirehaven-client <command> [options]

            Commands:
              connect     connect to a Wirehaven server and keep the tunnel up until Ctrl-C or SIGTERM
              status      show the connection that 'connect' keeps on an interface of this host
              disconnect  end that connection from another shell (the same as Ctrl-C in its terminal)
              access      ask the server of that connection to open one resource (HOST:PORT) for a while
              export      get a config (and QR code) for the stock WireGuard apps; no tunnel on this host

            'wirehaven-client <command> --help' explains a command and its options.
            Exit status: 0 done, 1 failed (the message says why), 2 wrong usage, 3 (status, access) not
            connected, 4 (access) not granted.
            """;

    static final String CONNECT = """
            usage: wirehaven-client connect --server https://HOST:8443 --user NAME [--password-file F]
                                            [--fingerprint SHA256:..] [--interface wh0] [--device NAME]
                                            [--config-dir DIR] [--advertise PREFIX[,PREFIX...]]

            Runs the connection flow (request, authentication, server and client config, the tunnel
            brought up, confirmation), prints "Connected: <addresses> via <endpoint>" once the tunnel
            carries traffic, and stays in the foreground: status reports, policy updates,
            re-authentication, a further factor when a policy asks for one (step-up) and reconnects
            (after a diagnosis, with backoff) happen by themselves. Ctrl-C, SIGTERM or
            'wirehaven-client disconnect' end the session on the server, bring the tunnel down and
            restore routes and DNS. Needs root (or CAP_NET_ADMIN).

            Credentials are asked for as the server describes them (a password, a one-time code, a token,
            each with the server's text), on a terminal without echo. A login approved in a browser shows
            the address to open and the code to enter there, and waits. Without a terminal, each answer is
            the next line of standard input, in the order asked.

              --server URL        the server's control API, https://HOST:PORT (8443 unless its operator changed it)
              --user NAME         your user name on the server
              --password-file F   read the password from the first line of F, again at each re-authentication;
                                  F must be readable by you only (chmod 600). Without it a typed or piped
                                  password is kept in memory for the re-authentications of this connection.
              --fingerprint FP    the SHA-256 fingerprint of the server's key (SHA256:<base64>), or the 32 hex
                                  pairs the server prints for its certificate; the server's key is compared
                                  with it and recorded in DIR/known_servers. Without it a recorded key is
                                  checked; a server not recorded yet is shown on a terminal with its key's
                                  fingerprint to confirm, and refused without a terminal. A changed key is
                                  refused: check the new fingerprint with the operator, then give it here.
              --interface NAME    the tunnel interface (default wh0)
              --device NAME       a name for this device, shown to the server's operators (default: host name)
              --config-dir DIR    where known_servers is kept (default ~/.config/wirehaven-client)
              --advertise PREFIX  site-to-site: the LAN behind this host (e.g. 192.168.30.0/24), routed to it by
                                  the server if its policy allows; this host forwards for the LAN
                                  (sysctl net.ipv4.ip_forward=1) and its hosts route via it
            """;

    static final String STATUS = """
            usage: wirehaven-client status [--interface wh0]

            Shows the connection that 'wirehaven-client connect' keeps on the interface: server, user,
            session, state, addresses, endpoint, latest handshake and transfer. Exit status 3 when
            there is none.
            """;

    static final String DISCONNECT = """
            usage: wirehaven-client disconnect [--interface wh0]

            Tells the 'connect' process of the interface to disconnect (SIGTERM) and waits for it: the
            session ends on the server, the tunnel goes down, routes and DNS are restored. When that
            process died without cleaning up, removes what it left (policy rules, DNS settings).
            """;

    static final String ACCESS = """
            usage: wirehaven-client access HOST:PORT [--udp | --icmp] [--interface wh0]

            Asks the server, through the session that 'wirehaven-client connect' keeps on the interface,
            to open one resource: a TCP port (the default), a UDP port (--udp), or ICMP to a host (--icmp,
            HOST alone). HOST is an IP address or a name; a name is resolved here, to its first address
            that the tunnel routes (else its first), and the server is sent the address. Write an IPv6
            address in brackets before a port: [fd00::5]:22.

            The server's policy decides. Granted, it prints the grant and until when it holds, such as
              Granted tcp 10.20.0.5:22 until 2026-12-03 14:03:00 UTC (rule acl:admin-ssh)
            and the tunnel carries that traffic until then; ask again for more time. When the policy asks
            for a further factor first (a step-up), it is asked here as 'connect' asks credentials: on the
            terminal without echo, else the next line of standard input (a code: echo 123456 | ...). The
            resource is then asked for again, once.

            Run it as the user who runs 'connect' (or as root). It talks to that process on its owner-only
            socket in the run directory; the session's token never leaves that process.

            Exit status: 0 granted, 4 not granted (the policy refused, or the further factor was not given;
            the message says why), 3 not connected, 1 failed otherwise, 2 wrong usage.

              --udp               a UDP port instead of a TCP port
              --icmp              ICMP (ping) to HOST, which then has no port
              --interface NAME    the interface whose connection to use (default wh0)
            """;

    static final String EXPORT = """
            usage: wirehaven-client export --server https://HOST:8443 --user NAME --output FILE [--qr FILE.png]
                                           [--password-file F] [--fingerprint SHA256:..] [--device NAME]
                                           [--config-dir DIR]

            Runs the connection flow with a fresh key pair up to the confirmation, without bringing up a
            tunnel on this host, and writes a wg-quick client config for the stock WireGuard apps
            (Android, iOS, macOS, Windows, wg-quick) with its private key, readable by you only. With
            --qr it also writes the config as a QR code image for the mobile apps' "scan from QR code".
            Neither file is overwritten: remove an old one first.

            The config works as long as its session does: until it expires (the server's session
            lifetime, 12 h by default), or earlier when the app's first handshake does not come within
            the server's setup timeout (2 min by default) or the tunnel stays idle longer than its idle
            timeout (15 min). Import it promptly, and export again for a new session.

              --output FILE       where to write the config
              --qr FILE.png       where to write its QR code
              (--server, --user, --password-file, --fingerprint, --device, --config-dir as for connect)
            """;

    private Usage() {}

    static String of(String command) {
        if (command == null) {
            return OVERVIEW;
        }
        return switch (command) {
            case "connect" -> CONNECT;
            case "status" -> STATUS;
            case "disconnect" -> DISCONNECT;
            case "access" -> ACCESS;
            case "export" -> EXPORT;
            default -> OVERVIEW;
        };
    }
}
