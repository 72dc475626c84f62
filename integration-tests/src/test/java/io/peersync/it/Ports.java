package io.peersync.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports, never the same one twice in this JVM (other test runs may share the machine). */
final class Ports {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    static int free() {
        return fresh("loopback TCP", () -> {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        });
    }

    /** A UDP port free on every interface now (LAN discovery binds the wildcard address). */
    static int freeUdp() {
        return fresh("UDP", () -> {
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
                return socket.getLocalPort();
            }
        });
    }

    private interface PortProbe {
        int open() throws IOException;
    }

    private static synchronized int fresh(String kind, PortProbe probe) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                int port = probe.open();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free " + kind + " port", e);
            }
        }
        throw new IllegalStateException("no fresh free " + kind + " port after 50 attempts");
    }
}
