package dev.wirehaven.qr.testing;

import java.util.List;

/**
 * Texts whose QR code, with the mask that the standard's penalty rules choose, ZXing's detector cannot read
 * (default hints, as a scanner app) though the matrix is valid: the inputs on which {@code QrMatrix} must
 * choose another mask. {@code QrMatrixTest} proves that each still is one; the users' tests draw them.
 */
public final class UnreadableFirstMask {

    /**
     * TOTP enrollment URIs as the TOTP plugin and the console encode them (level M, marked as UTF-8): 2 of
     * 3,000 random ones.
     */
    public static final List<String> ENROLLMENT_URIS = List.of(
            enrollmentUri("TL5EJDRQR6CI6OFZXFCFBVOMA3L7XF7P"), enrollmentUri("KZJQ4IAGLWZALHTJCRJ7F5DGGOPGFYIM"));

    /**
     * The private key that makes {@link #wgQuickClient(String)} such a text as the client encodes configs
     * (level L, not marked): 1 of 1,500 random keys.
     */
    public static final String CLIENT_PRIVATE_KEY = "oidCV4DbqGA0jlU3oKDb0GbI8E7lu47sjyRV/X1YH6w=";

    private UnreadableFirstMask() {}

    private static String enrollmentUri(String secret) {
        return "otpauth://totp/Wirehaven:alice?secret=" + secret
                + "&issuer=Wirehaven&algorithm=SHA1&digits=6&period=30";
    }

    /** The seed's wg-quick client example with {@code privateKey}, as the stock apps import it. */
    public static String wgQuickClient(String privateKey) {
        return """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.2/24
                DNS = 8.8.8.8

                [Peer]
                PublicKey = 9pPNSftvV8wWnzPtHUo0fgmKPSrzNKIjstYgjk35HDw=
                Endpoint = vpn.company.com:51820
                AllowedIPs = 0.0.0.0/0
                PersistentKeepalive = 25
                """.formatted(privateKey);
    }
}
