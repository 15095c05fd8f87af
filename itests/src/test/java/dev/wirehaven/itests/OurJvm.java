package dev.wirehaven.itests;

/**
 * How the processes of ours that the tests start run (the server, {@code wirehaven-wg}, the client):
 * on the tests' own JDK, so that failsafe's {@code -Djvm=<jdk>/bin/java} moves all of them to another
 * JDK at once, and with the JVM options in the system property {@value #OPTS} (none by default), so
 * that one run can prove the data plane's plain path, e.g. {@code
 * -Dwirehaven.it.opts="-Dwirehaven.tun.offloads=false -Dwirehaven.udp=channel"}. The interop matrix in
 * {@code itests/README.md} runs the data-plane tests both ways.
 */
public final class OurJvm {

    /** System property with the JVM options for every process of ours; blank-separated. */
    public static final String OPTS = "wirehaven.it.opts";

    private OurJvm() {}

    /** The JDK our processes run on ({@code JAVA_HOME}): the tests' own. */
    public static String javaHome() {
        return System.getProperty("java.home");
    }

    /** The JVM options our processes run with, for {@code WIREHAVEN_OPTS} and its siblings. */
    public static String opts() {
        return System.getProperty(OPTS, "").trim();
    }
}
