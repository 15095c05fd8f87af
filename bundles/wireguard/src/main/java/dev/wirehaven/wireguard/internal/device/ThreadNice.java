package dev.wirehaven.wireguard.internal.device;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Lowers the scheduling priority (the nice value) of the calling thread, where Linux lets it: a Java
 * thread's priority does nothing there, while {@code setpriority(2)} on a thread id does. Lowering
 * needs no privilege. Used for the reader of the handshake lane, so that junk gets the CPU that the
 * data path leaves and not more (see {@link dev.wirehaven.wireguard.conn.Bind#handshakeLane()}).
 */
final class ThreadNice {

    private static final int PRIO_PROCESS = 0;

    private static final boolean LINKED = link();

    private ThreadNice() {}

    private static boolean link() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(ThreadNice.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // gettid is in glibc since 2.30: older systems run the lane at normal priority
        }
    }

    private static native int gettid();

    private static native int setpriority(int which, int who, int prio);

    /**
     * Sets the calling thread's nice value to {@code nice} (higher is lower priority).
     *
     * @return what happened, for the operator: "nice 10", or why the thread kept its priority
     */
    static String lowerCurrentThread(int nice) {
        if (!LINKED) {
            return "normal priority (no setpriority on this platform)";
        }
        if (setpriority(PRIO_PROCESS, gettid(), nice) < 0) {
            return "normal priority (setpriority: errno " + Native.getLastError() + ")";
        }
        return "nice " + nice;
    }
}
