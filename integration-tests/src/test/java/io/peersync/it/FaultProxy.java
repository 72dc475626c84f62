package io.peersync.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback between two daemons that misbehaves like a bad network: it delays chunks, stalls,
 * flips bytes, and cuts connections in the middle of a frame, each at a random point chosen from a seed. It can
 * also make the target vanish at an exact point: after a budget of bytes from the target, every connection is cut
 * and new ones are refused until {@link #heal}. Counts what it did, for the report.
 */
final class FaultProxy implements AutoCloseable {
    /** How often each fault strikes, per relayed chunk (a read of up to 16 KiB). */
    record Rates(double delay, double stall, double corrupt, double cut) {
    }

    final AtomicLong connections = new AtomicLong();
    final AtomicLong delays = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong corruptions = new AtomicLong();
    final AtomicLong cuts = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /** Bytes relayed from the target to the clients. */
    final AtomicLong fromTarget = new AtomicLong();
    /** Bytes from the target still relayed before the target vanishes; Long.MAX_VALUE for no limit. */
    private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Rates rates;
    private final SplittableRandom seeds;
    private final Thread acceptor;
    private volatile boolean closed;

    FaultProxy(String targetHostPort, Rates rates, long seed) throws IOException {
        String[] hp = targetHostPort.split(":");
        this.target = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        this.rates = rates;
        this.seeds = new SplittableRandom(seed);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** host:port to give a daemon as its peer. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket in = server.accept();
                if (refusing) {
                    in.close();
                    continue;
                }
                Socket out = new Socket();
                try {
                    out.connect(target, 5000);
                } catch (IOException e) {
                    in.close();
                    continue;
                }
                connections.incrementAndGet();
                long seed;
                synchronized (seeds) {
                    seed = seeds.nextLong();
                }
                open.add(in);
                open.add(out);
                pump(in, out, new SplittableRandom(seed), false);
                pump(out, in, new SplittableRandom(seed ^ 0x5DEECE66DL), true);
            } catch (IOException e) {
                if (!closed) {
                    System.out.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    /**
     * The target vanishes once {@code bytes} more have come from it: the connections are cut there (mid-frame,
     * most likely) and new ones are refused until {@link #heal}; at once for 0.
     */
    void vanishAfter(long bytes) {
        budget.set(bytes);
        if (bytes <= 0) {
            vanish();
        }
    }

    /** Relays again, without a limit. */
    void heal() {
        budget.set(Long.MAX_VALUE);
        refusing = false;
    }

    /** True once the target vanished (see {@link #vanishAfter}). */
    boolean vanished() {
        return refusing;
    }

    private void vanish() {
        refusing = true;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        open.clear();
    }

    private void pump(Socket from, Socket to, SplittableRandom random, boolean fromTheTarget) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!closed && (n = in.read(buffer)) > 0) {
                    if (fromTheTarget && budget.get() != Long.MAX_VALUE) {
                        long left = budget.addAndGet(-n);
                        if (left < 0) {
                            out.write(buffer, 0, (int) Math.max(0, n + left));
                            out.flush();
                            vanish();
                            return;
                        }
                    }
                    if (fromTheTarget) {
                        fromTarget.addAndGet(n);
                    }
                    double roll = random.nextDouble();
                    if ((roll -= rates.cut()) < 0) {
                        cuts.incrementAndGet();
                        out.write(buffer, 0, random.nextInt(n)); // part of a frame, then the connection is gone
                        return;
                    }
                    if ((roll -= rates.corrupt()) < 0) {
                        corruptions.incrementAndGet();
                        buffer[random.nextInt(n)] ^= (byte) (1 + random.nextInt(255));
                    } else if ((roll -= rates.stall()) < 0) {
                        stalls.incrementAndGet();
                        Thread.sleep(1000 + random.nextInt(2000));
                    } else if ((roll -= rates.delay()) < 0) {
                        delays.incrementAndGet();
                        Thread.sleep(random.nextInt(50));
                    }
                    out.write(buffer, 0, n);
                    bytes.addAndGet(n);
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or we cut it: both sockets are closed on the way out
            } finally {
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String toString() {
        return connections + " connections, " + bytes + " bytes relayed, " + delays + " delays, " + stalls
                + " stalls, " + corruptions + " corrupted chunks, " + cuts + " cuts mid-frame";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
