package dev.wirehaven.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinuxTunOffloadsPropertyTest {

    @AfterEach
    void clear() {
        System.clearProperty(LinuxTun.OFFLOADS_PROPERTY);
    }

    @Test
    void offloadsAreOnUnlessThePropertySaysFalse() {
        assertTrue(LinuxTun.offloadsByDefault());
        System.setProperty(LinuxTun.OFFLOADS_PROPERTY, "FALSE ");
        assertFalse(LinuxTun.offloadsByDefault());
        System.setProperty(LinuxTun.OFFLOADS_PROPERTY, "true");
        assertTrue(LinuxTun.offloadsByDefault());
    }
}
