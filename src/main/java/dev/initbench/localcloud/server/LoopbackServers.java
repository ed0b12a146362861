package dev.initbench.localcloud.server;

/** Settings shared by the JDK HTTP servers the local cloud runs on loopback. */
public final class LoopbackServers {

    private LoopbackServers() {
    }

    /**
     * Turns on TCP_NODELAY for every {@code com.sun.net.httpserver} server of this JVM. Without it a response
     * written as headers then body waits for the client's delayed ACK (about 40 ms on Linux) on every request,
     * which measured as 40+ ms of fake latency per hop. The JDK reads the property once, when its first server
     * starts, so this must run before any server is created; it leaves an explicit setting alone.
     */
    public static void disableNagle() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
}
