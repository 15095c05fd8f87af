package dev.wirehaven.controlapi.internal.tls;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The control API's HTTPS endpoint, as the Felix Web Console and {@code etc/dev.wirehaven.server.tls.cfg}
 * show it. The component reads the raw properties itself (see {@link TlsSettings}); this type describes
 * them for Metatype, and its defaults are the same constants.
 */
@ObjectClassDefinition(
        id = TlsSettings.PID,
        name = "Wirehaven HTTPS (control API)",
        description = "The HTTPS endpoint of the control API under /api/v1 and its certificate. By default the"
                + " server makes a self-signed certificate on the first start (in <wirehaven.data>/tls) and logs"
                + " its SHA-256 fingerprint, which clients pin. Saving replaces the control API's HTTPS connector;"
                + " Jetty (the web console too) restarts only when the listen address changes.")
@interface TlsConfig {

    @AttributeDefinition(
            name = "HTTPS port",
            description = "TCP port of the control API. Default: WIREHAVEN_HTTPS_PORT of bin/wirehaven, else 8443.",
            min = "1",
            max = "65535")
    int port() default TlsSettings.DEFAULT_PORT;

    @AttributeDefinition(
            name = "Listen address",
            description = "The address to listen on; empty for all addresses of the host (IPv4 and IPv6)."
                    + " The web console's plain HTTP listens there too (it is Felix HTTP's one listen address),"
                    + " and still answers only to clients on this host.")
    String host() default "";

    @AttributeDefinition(
            name = "Accept queue",
            description = "Connections the kernel holds for the HTTPS port until the server accepts them (the"
                    + " listen backlog). A burst of clients larger than this has SYNs dropped and retried after"
                    + " 1, 3, 7 s. The kernel caps it at net.core.somaxconn.",
            min = "1",
            max = "65535")
    int backlog() default TlsSettings.DEFAULT_BACKLOG;

    @AttributeDefinition(
            name = "Certificate names",
            description = "For the server's own certificate: every DNS name and IP address clients use to reach"
                    + " the server (e.g. vpn.example.com, 192.0.2.10). Empty: localhost, the host name and the"
                    + " host's addresses. Jetty refuses a request for a name the certificate does not list. A"
                    + " change makes a new certificate, with a new fingerprint.")
    String[] names() default {};

    @AttributeDefinition(
            name = "Keystore",
            description = "Your own certificate as a PKCS#12 file with one private key and its chain, instead of"
                    + " the server's own. Relative paths are relative to the data directory.")
    String keystore() default "";

    @AttributeDefinition(
            name = "Keystore password",
            type = AttributeType.PASSWORD,
            description = "The password of the keystore and of its key.")
    String keystore_password() default "";

    @AttributeDefinition(
            name = "Certificate (PEM)",
            description = "Your own certificate as a PEM file (the server's certificate first, then its CA"
                    + " certificates), with privateKey; instead of a keystore.")
    String certificate() default "";

    @AttributeDefinition(
            name = "Private key (PEM)",
            description = "The unencrypted PEM private key of the certificate. Keep it owner-only.")
    String privateKey() default "";
}
