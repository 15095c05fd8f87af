package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UapiStatusTest {

    @Test
    void readsEachPeersEndpointHandshakeAndCounters() throws IOException {
        String answer = """
                private_key=0000000000000000000000000000000000000000000000000000000000000001
                listen_port=40000
                public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                protocol_version=1
                endpoint=192.0.2.1:51820
                last_handshake_time_sec=1700000000
                last_handshake_time_nsec=5
                tx_bytes=1200
                rx_bytes=3400
                persistent_keepalive_interval=25
                allowed_ip=10.8.0.0/24
                errno=0

                """;
        assertEquals(
                List.of(new UapiStatus.Peer(
                        "b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33",
                        "192.0.2.1:51820",
                        1700000000L,
                        3400,
                        1200)),
                UapiStatus.parse(answer));
    }

    @Test
    void anErrorAnswerIsAnError() {
        assertThrows(IOException.class, () -> UapiStatus.parse("errno=13\n\n"));
    }
}
