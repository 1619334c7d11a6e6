package io.eventlake.local.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow-loris clients for {@code bench-http --slow-clients N}: N connections on one thread, each sending one byte a
 * second and opening a new connection whenever the server closes it. Half trickle their head (header lines that never
 * end); half send a whole head declaring a body of {@code declaredBytes} and trickle that body. None ever completes a
 * request, so every one of them holds whatever the server gives a request being read, for as long as it allows.
 */
final class SlowClients implements AutoCloseable {

    private static final long BYTE_EVERY_MS = 1_000;

    private final InetSocketAddress server;
    private final String path;
    private final int declaredBytes;
    private final List<Slow> clients = new ArrayList<>();
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SlowClients(InetSocketAddress server, String path, int count, int declaredBytes) {
        this.server = server;
        this.path = path;
        this.declaredBytes = declaredBytes;
        for (int i = 0; i < count; i++) {
            clients.add(new Slow(i % 2 == 0));
        }
        thread = new Thread(this::run, "bench-slow-clients");
        thread.setDaemon(true);
    }

    SlowClients start() {
        thread.start();
        return this;
    }

    /** Connections the server closed (a cut or a refusal), each followed by a new one. */
    long reconnects() {
        return reconnects.get();
    }

    private void run() {
        while (running) {
            long next = System.currentTimeMillis() + BYTE_EVERY_MS;
            for (Slow c : clients) {
                c.step();
            }
            try {
                Thread.sleep(Math.max(1, next - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        for (Slow c : clients) {
            c.disconnect();
        }
    }

    private final class Slow {
        private final boolean inHead;
        private SocketChannel channel;

        Slow(boolean inHead) {
            this.inHead = inHead;
        }

        void step() {
            try {
                if (channel == null) {
                    channel = SocketChannel.open(server);
                    String head = "POST " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + "\r\n"
                        + "Content-Type: application/x-ndjson\r\n";
                    if (!inHead) {
                        head += "Content-Length: " + declaredBytes + "\r\n\r\n{";
                    }
                    write(head.getBytes(StandardCharsets.ISO_8859_1));
                    channel.configureBlocking(false);
                    return;
                }
                if (channel.read(ByteBuffer.allocate(256)) < 0) {
                    throw new IOException("closed by the server");
                }
                write(new byte[] {(byte) (inHead ? 'x' : ' ')});
            } catch (IOException e) {
                reconnects.incrementAndGet();
                disconnect();
            }
        }

        private void write(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    return;
                }
            }
        }

        void disconnect() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // gone already
                }
                channel = null;
            }
        }
    }
}
