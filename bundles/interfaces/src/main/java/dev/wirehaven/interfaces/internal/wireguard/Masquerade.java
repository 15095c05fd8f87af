package dev.wirehaven.interfaces.internal.wireguard;

import java.util.Objects;

/**
 * Which traffic of the tunnel leaves the server with the server's own address (setting {@value
 * InterfaceSettings#MASQUERADE}): none, what goes out of any other interface ({@code auto}), or what
 * goes out of one named interface (e.g. {@code eth0}).
 *
 * @param mode off, auto or one interface
 * @param outInterface the named interface; {@code null} unless {@code mode} is {@link Mode#INTERFACE}
 */
public record Masquerade(Mode mode, String outInterface) {

    /** What the setting says. */
    public enum Mode {
        /** Empty: no masquerade, no nftables table. */
        OFF,
        /** {@code auto}: traffic that leaves through any interface but the WireGuard interface itself. */
        AUTO,
        /** An interface name: traffic that leaves through that interface. */
        INTERFACE
    }

    /** The setting's value for {@link Mode#AUTO}. */
    public static final String AUTO_VALUE = "auto";

    public static final Masquerade OFF = new Masquerade(Mode.OFF, null);
    public static final Masquerade AUTO = new Masquerade(Mode.AUTO, null);

    public Masquerade {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.INTERFACE) != (outInterface != null)) {
            throw new IllegalArgumentException("an outgoing interface goes with mode INTERFACE only");
        }
    }

    /** Masquerade of what leaves through {@code outInterface}. */
    public static Masquerade via(String outInterface) {
        return new Masquerade(Mode.INTERFACE, Objects.requireNonNull(outInterface, "outInterface"));
    }

    public boolean isOn() {
        return mode != Mode.OFF;
    }

    /** The setting's spelling: empty, {@code auto} or the interface name. */
    @Override
    public String toString() {
        return switch (mode) {
            case OFF -> "";
            case AUTO -> AUTO_VALUE;
            case INTERFACE -> outInterface;
        };
    }
}
