package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;

/**
 * The socket options that {@code DatagramChannel} does not offer (SO_MARK, SO_RCVBUFFORCE), set with
 * {@code setsockopt(2)} through JNA direct mapping on the channel's own fd. Loaded only when a bind
 * needs one of them, so that binds without them (and the tests' {@code MemoryBind}) never load JNA.
 *
 * <p>The fd is reached through {@code sun.nio.ch.SelChImpl#getFDVal}, which the JDK exports to no one:
 * the JVM must run with {@value #JVM_OPTION}. The interface is found on the channel's class rather than
 * by name, because an OSGi bundle's class loader does not see {@code sun.*} classes.
 */
final class NativeSockets {

    static final String JVM_OPTION = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_MARK = 36;

    static {
        Native.register(NativeSockets.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private NativeSockets() {}

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    private static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    private static native String strerror(int errno);

    static void setInt(DatagramChannel channel, int level, int name, int value, String what) throws IOException {
        int fd = fd(channel);
        Memory v = new Memory(4);
        v.setInt(0, value);
        if (setsockopt(fd, level, name, v, 4) < 0) {
            int errno = Native.getLastError();
            String hint = errno == 1 /* EPERM */ ? " — needs CAP_NET_ADMIN (run as root or grant the capability)" : "";
            throw new IOException("setsockopt " + what + ": " + describe(errno) + hint);
        }
    }

    static int getInt(DatagramChannel channel, int level, int name, String what) throws IOException {
        int fd = fd(channel);
        Memory v = new Memory(4);
        Memory len = new Memory(4);
        len.setInt(0, 4);
        if (getsockopt(fd, level, name, v, len) < 0) {
            throw new IOException("getsockopt " + what + ": " + describe(Native.getLastError()));
        }
        return v.getInt(0);
    }

    static int fd(DatagramChannel channel) throws IOException {
        Method getFdVal = findGetFdVal(channel.getClass());
        if (getFdVal == null) {
            throw new IOException(
                    "this JDK's DatagramChannel (" + channel.getClass().getName()
                            + ") has no getFDVal(); socket options beyond the standard ones are not available");
        }
        try {
            getFdVal.setAccessible(true);
            return (Integer) getFdVal.invoke(channel);
        } catch (RuntimeException | IllegalAccessException e) {
            // InaccessibleObjectException (JDK 9+) is a RuntimeException
            throw new IOException(
                    "cannot reach the socket's file descriptor: start the JVM with " + JVM_OPTION + " ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot read the socket's file descriptor: " + e.getCause(), e.getCause());
        }
    }

    private static Method findGetFdVal(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("sun.nio.ch.SelChImpl")) {
                    try {
                        return i.getMethod("getFDVal");
                    } catch (NoSuchMethodException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String describe(int errno) {
        String text;
        synchronized (NativeSockets.class) {
            text = strerror(errno);
        }
        return text == null ? "errno " + errno : text;
    }
}
