package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.Key;

/**
 * The seed's two "Configuration Examples" (server-client-interactions.md), byte for byte, with real
 * key pairs from {@code wg genkey | tee private | wg pubkey} in place of the placeholders.
 */
final class SeedExamples {

    static final String SERVER_PRIVATE = "gP0YaQH07N64HwO4BJCaMrY/yHTwjfWJKwfRC65gCHw=";
    static final String SERVER_PUBLIC = "tEp4LdrDI84yqhZSgyu+QRkXPviU7HWPNeSbwJitN1I=";
    static final String CLIENT_PRIVATE = "AAlBYelspPBO2HIlCdEfvAAv0/6X6ALJJCf9Zsb2d04=";
    static final String CLIENT_PUBLIC = "9pPNSftvV8wWnzPtHUo0fgmKPSrzNKIjstYgjk35HDw=";
    static final String OTHER_PRIVATE = "eIQmhrAVHG5iZTfZlu/rbS3egnGEeAheesIwt3pAX3Y=";
    static final String OTHER_PUBLIC = "xXPyl6vUS145wsyG7CXlRlnKhU7d50L80SYcvKo1Bis=";
    static final String PRESHARED = "8LEHeZNNLRnGQFaatsmJojbjTYOvM9OyNv/NT80cDoE=";

    static final String SERVER = """
            [Interface]
            PrivateKey = %s
            Address = 10.0.0.1/24
            ListenPort = 51820
            PostUp = iptables -A FORWARD -i wg0 -j ACCEPT
            PostDown = iptables -D FORWARD -i wg0 -j ACCEPT

            [Peer]
            PublicKey = %s
            AllowedIPs = 10.0.0.2/32
            """.formatted(SERVER_PRIVATE, CLIENT_PUBLIC);

    static final String CLIENT = """
            [Interface]
            PrivateKey = %s
            Address = 10.0.0.2/24
            DNS = 8.8.8.8

            [Peer]
            PublicKey = %s
            Endpoint = vpn.company.com:51820
            AllowedIPs = 0.0.0.0/0
            PersistentKeepalive = 25
            """.formatted(CLIENT_PRIVATE, SERVER_PUBLIC);

    private SeedExamples() {}

    static Key key(String base64) {
        return Key.fromBase64(base64);
    }
}
