package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UapiSetTest {

    static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    static final String C = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    static final String ZERO = "0000000000000000000000000000000000000000000000000000000000000000";
    static final String G = "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg";

    private final RecordingDevice device = new RecordingDevice("wgt0");

    private void set(String... lines) throws UapiException {
        UapiSet.parse(Arrays.asList(lines)).applyTo(device);
    }

    private int errnoOf(String... lines) {
        return assertThrows(UapiException.class, () -> set(lines)).errno();
    }

    @Test
    void operationsReachTheDeviceInRequestOrder() throws Exception {
        set(
                "private_key=" + A,
                "listen_port=51820",
                "fwmark=4294967295",
                "replace_peers=true",
                "public_key=" + B,
                "preshared_key=" + C,
                "endpoint=[2001:db8::1]:51820",
                "persistent_keepalive_interval=25",
                "replace_allowed_ips=true",
                "allowed_ip=10.0.0.0/24",
                "allowed_ip=fd00::/64",
                "protocol_version=1");
        assertEquals(
                List.of(
                        "privateKey aaaaaaaa",
                        "listenPort 51820",
                        "fwmark 4294967295",
                        "replacePeers",
                        "peer bbbbbbbb",
                        "presharedKey cccccccc",
                        "endpoint 2001:db8:0:0:0:0:0:1 51820",
                        "keepalive 25",
                        "replaceAllowedIps",
                        "addAllowedIp 10.0.0.0/24",
                        "addAllowedIp fd00::/64"),
                device.operations);
    }

    @Test
    void zeroKeysMeanNoKey() throws Exception {
        set("private_key=" + ZERO, "public_key=" + B, "preshared_key=" + ZERO);
        assertEquals(List.of("privateKey none", "peer bbbbbbbb", "presharedKey none"), device.operations);
    }

    @Test
    void updateOnlyAfterThePublicKeyDoesNotCreateThePeer() throws Exception {
        set("public_key=" + B, "allowed_ip=10.0.0.0/8", "update_only=true");
        assertEquals(List.of("peer bbbbbbbb updateOnly"), device.operations);
        assertNull(device.peerState(Key.fromHex(B)));
    }

    @Test
    void updateOnlyChangesAnExistingPeer() throws Exception {
        set("public_key=" + B);
        set("public_key=" + B, "update_only=true", "persistent_keepalive_interval=5");
        assertEquals(5, device.peerState(Key.fromHex(B)).keepalive);
    }

    @Test
    void removeDropsThePeerAndIgnoresTheRestOfItsSection() throws Exception {
        set("public_key=" + B, "allowed_ip=10.0.0.0/8");
        device.operations.clear();
        set("public_key=" + B, "remove=true", "allowed_ip=10.1.0.0/16", "public_key=" + C, "allowed_ip=10.2.0.0/16");
        assertEquals(List.of("removePeer bbbbbbbb", "peer cccccccc", "addAllowedIp 10.2.0.0/16"), device.operations);
    }

    @Test
    void aMinusPrefixRemovesOneAllowedIp() throws Exception {
        set("public_key=" + B, "allowed_ip=10.0.0.0/8", "allowed_ip=10.9.0.0/16");
        set("public_key=" + B, "allowed_ip=-10.0.0.0/8");
        assertEquals(List.of(Cidr.parse("10.9.0.0/16")), List.copyOf(device.peerState(Key.fromHex(B)).allowedIps));
    }

    @Test
    void aLineWithoutEqualsIsAProtocolErrorAndNothingIsApplied() {
        assertEquals(UapiException.EPROTO, errnoOf("listen_port=1000", "garbage", "fwmark=1"));
        assertEquals(List.of(), device.operations, "the valid line before the bad one is not applied either");
    }

    @Test
    void aBadValueAfterGoodLinesIsInvalidAndNothingIsApplied() {
        assertEquals(
                UapiException.EINVAL,
                errnoOf("fwmark=3", "public_key=" + B, "allowed_ip=10.0.0.0/8", "persistent_keepalive_interval=x"));
        assertEquals(List.of(), device.operations);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bogus=1",
                "private_key=xyz",
                "private_key=" + G,
                "listen_port=65536",
                "listen_port=-1",
                "fwmark=4294967296",
                "replace_peers=false",
                "replace_peers=",
                "protocol_version=1"
            })
    void badDeviceLinesAreInvalid(String line) {
        assertEquals(UapiException.EINVAL, errnoOf(line));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "listen_port=1",
                "remove=yes",
                "update_only=1",
                "protocol_version=2",
                "endpoint=host:1",
                "endpoint=10.0.0.1",
                "allowed_ip=10.0.0.0",
                "allowed_ip=--10.0.0.0/8",
                "persistent_keepalive_interval=65536",
                "preshared_key=00",
                "replace_allowed_ips=TRUE",
                "private_key=" + A
            })
    void badPeerLinesAreInvalid(String line) {
        assertEquals(UapiException.EINVAL, errnoOf("public_key=" + B, line));
    }

    @Test
    void aBadPublicKeyIsInvalid() {
        assertEquals(UapiException.EINVAL, errnoOf("public_key=" + B.substring(2)));
    }

    @Test
    void aPortInUseIsEaddrinuseAndEarlierOperationsStay() {
        device.portsInUse.add(51820);
        assertEquals(UapiException.EADDRINUSE, errnoOf("fwmark=7", "listen_port=51820", "fwmark=8"));
        assertEquals(List.of("fwmark 7", "listenPort 51820"), device.operations);
    }

    @Test
    void theStatusLineCarriesTheNegatedErrnoAsWgExpects() {
        assertEquals("errno=-22", new UapiException(UapiException.EINVAL, "x").statusLine());
        assertEquals("errno=-98", new UapiException(UapiException.EADDRINUSE, "x").statusLine());
    }

    @Test
    void anEmptyRequestChangesNothing() throws Exception {
        set();
        assertTrue(device.operations.isEmpty());
    }

    @Test
    void parsedOperationsAreTypedValues() {
        List<UapiSet.Operation> ops = UapiSet.parse(List.of("public_key=" + B, "endpoint=192.0.2.1:7"))
                .operations();
        assertEquals(2, ops.size());
        UapiSet.Endpoint endpoint = (UapiSet.Endpoint) ops.get(1);
        assertNotNull(endpoint.endpoint().getAddress());
        assertEquals(7, endpoint.endpoint().getPort());
    }
}
