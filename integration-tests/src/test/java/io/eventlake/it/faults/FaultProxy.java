package io.eventlake.it.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of one server (here the local S3 server), for tests that need S3 to
 * misbehave at chosen requests. Requests are relayed byte for byte, heads included: the AWS SDK signs the Host
 * header (SigV4), so the proxy rewrites nothing, and the client's endpoint is simply the proxy's address. Each
 * client connection has its own connection to the server, kept alive as long as the client keeps its own, and
 * {@code Expect: 100-continue} goes through as the server answers it.
 *
 * <p>{@link Rule}s pick requests (method, path, n-th match) and apply a {@link Fault}: an S3 error, a reset
 * connection mid-request or mid-response, an answer held back past the client's timeout, a delay, or a stall until
 * the test releases it. Every exchange is recorded with its request's headers and the status sent back.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-amz-security-token");

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + server.getLocalPort() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    /** Starts a proxy in front of {@code upstreamUrl} (http://host:port). */
    public static FaultProxy start(String upstreamUrl) throws IOException {
        URI uri = URI.create(upstreamUrl);
        return new FaultProxy(new InetSocketAddress(uri.getHost(), uri.getPort()));
    }

    /** The URL clients use instead of the server's. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Adds a rule; rules are asked in the order added, and each counts its matches whether it acts or not. */
    public Rule add(Rule rule) {
        rules.add(rule);
        return rule;
    }

    /** Removes every rule; requests held by a stall are passed on. */
    public void clearRules() {
        for (Rule r : rules) {
            r.releaseStalls();
        }
        rules.clear();
    }

    /** Finished exchanges in the order their requests came in. */
    public List<Exchange> exchanges() {
        return exchanges(e -> true);
    }

    public List<Exchange> exchanges(Predicate<Exchange> filter) {
        return exchanges.stream().filter(filter)
            .sorted(java.util.Comparator.comparingInt(e -> e.request().seq())).toList();
    }

    public void clearExchanges() {
        exchanges.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                sockets.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    /** One client connection: requests one after another, each relayed over this connection's upstream socket. */
    private void serve(Socket client) {
        int connection = connections.incrementAndGet();
        Upstream up = new Upstream();
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            boolean open = true;
            while (open && !closed) {
                HttpWire.Head head = HttpWire.readHead(in);
                if (head == null) {
                    return;
                }
                Request request = request(connection, head);
                Fault fault = null;
                for (Rule rule : rules) {
                    Fault f = rule.apply(request);
                    if (fault == null) {
                        fault = f;
                    }
                }
                Recorder recorder = new Recorder(request, fault);
                try {
                    open = handle(request, head, fault, client, in, out, up, recorder);
                } finally {
                    recorder.record(-1);
                }
            }
        } catch (IOException e) {
            // The client or the server went away; both sides of this connection are closed below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            up.close();
            closeQuietly(client);
            sockets.remove(client);
        }
    }

    private Request request(int connection, HttpWire.Head head) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        head.headers().forEach((k, v) -> {
            if (!SECRET_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                headers.put(k, v);
            }
        });
        return new Request(requests.incrementAndGet(), connection, head.method(), head.target(),
            HttpWire.decodePath(head.target()), headers);
    }

    /**
     * Records an exchange once, before the client sees any of the answer: a test that got its answer finds the
     * exchange recorded.
     */
    private final class Recorder {
        private final Request request;
        private final Fault fault;
        private boolean recorded;

        Recorder(Request request, Fault fault) {
            this.request = request;
            this.fault = fault;
        }

        void record(int status) {
            if (!recorded) {
                recorded = true;
                exchanges.add(new Exchange(request, fault == null ? "" : fault.toString(), status));
            }
        }
    }

    /** Handles one request; returns whether the client connection can carry another. */
    private boolean handle(Request request, HttpWire.Head head, Fault fault, Socket client, InputStream in,
                           OutputStream out, Upstream up, Recorder recorder) throws IOException, InterruptedException {
        Fault f = fault;
        if (f instanceof Fault.Stall stall) {
            f = stall.gate().await(request);
        }
        if (f instanceof Fault.Delay delay) {
            Thread.sleep(delay.duration().toMillis());
            f = null;
        }
        if (f instanceof Fault.Error error) {
            // With Expect: 100-continue the client waits for a go before sending the body: it gets the error instead,
            // and the connection is closed, as the body's fate is then unclear to both sides.
            boolean expect = head.expectsContinue();
            if (!expect) {
                HttpWire.skipRequestBody(head, in);
            }
            recorder.record(error.status());
            out.write(errorResponse(request, error, expect));
            out.flush();
            return !expect;
        }
        if (f instanceof Fault.ResetMidRequest) {
            long length = head.contentLength();
            if (!head.expectsContinue() && length > 1) {
                HttpWire.copy(in, OutputStream.nullOutputStream(), length / 2);
            }
            recorder.record(-1);
            reset(client);
            return false;
        }
        if (f instanceof Fault.Stall || f instanceof Fault.Delay) {
            throw new IllegalArgumentException("a gate's verdict cannot be another stall or delay: " + f);
        }

        Socket server = up.connect();
        InputStream upIn = up.in;
        OutputStream upOut = server.getOutputStream();
        upOut.write(head.raw());
        boolean keepAlive = true;
        HttpWire.Head response;
        if (head.expectsContinue()) {
            upOut.flush();
            response = HttpWire.readHead(upIn);
            requireResponse(response);
            if (response.status() == 100) {
                out.write(response.raw());
                out.flush();
                HttpWire.relayRequestBody(head, in, upOut);
                upOut.flush();
                response = finalResponse(upIn, out);
            } else {
                // Answered before the body was asked for: the client does not send it, so neither side can reuse
                // the connections safely.
                keepAlive = false;
            }
        } else {
            HttpWire.relayRequestBody(head, in, upOut);
            upOut.flush();
            response = finalResponse(upIn, out);
        }
        recorder.record(response.status());
        if (f instanceof Fault.HoldResponse hold) {
            Thread.sleep(hold.duration().toMillis());
        }
        if (f instanceof Fault.ResetMidResponse) {
            out.write(response.raw(), 0, response.raw().length / 2);
            out.flush();
            up.close();
            reset(client);
            return false;
        }
        out.write(response.raw());
        boolean toEnd = HttpWire.relayResponseBody(request.method(), response, upIn, out);
        out.flush();
        if (toEnd || response.closes() || !keepAlive) {
            up.close();
            return false;
        }
        return true;
    }

    /** Reads the server's answer, relaying interim 1xx answers to the client; returns the final head. */
    private static HttpWire.Head finalResponse(InputStream upIn, OutputStream out) throws IOException {
        while (true) {
            HttpWire.Head response = HttpWire.readHead(upIn);
            requireResponse(response);
            if (response.status() / 100 != 1 || response.status() == 101) {
                return response;
            }
            out.write(response.raw());
            out.flush();
        }
    }

    private static void requireResponse(HttpWire.Head response) throws IOException {
        if (response == null) {
            throw new IOException("the server closed the connection without an answer");
        }
    }

    private static byte[] errorResponse(Request request, Fault.Error error, boolean close) {
        String body = "HEAD".equals(request.method()) ? ""
            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + error.code() + "</Code><Message>"
            + error.message() + "</Message><Resource>" + request.path() + "</Resource><RequestId>fault-proxy-"
            + request.seq() + "</RequestId></Error>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + error.status() + " " + error.code() + "\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: " + bytes.length + "\r\n"
            + "x-amz-request-id: fault-proxy-" + request.seq() + "\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + ("HEAD".equals(request.method()) ? 0 : bytes.length)];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, all.length - headBytes.length);
        return all;
    }

    /** Closes with a TCP RST instead of a FIN: the peer sees "connection reset". */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Closed already.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        clearRules();
        server.close();
        for (Socket s : new ArrayList<>(sockets)) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }

    /** The server side of one client connection; opened on first use and again when the server closed it. */
    private final class Upstream {
        private Socket socket;
        private InputStream in;

        Socket connect() throws IOException {
            if (socket != null && !stale()) {
                return socket;
            }
            close();
            socket = new Socket();
            socket.connect(upstream, 10_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream());
            sockets.add(socket);
            return socket;
        }

        /** A kept-alive connection the server has closed meanwhile (its idle timeout) must not carry a request. */
        private boolean stale() {
            try {
                socket.setSoTimeout(1);
                // An end of stream, or bytes nobody asked for: either way the connection cannot carry a request.
                in.read();
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            } finally {
                try {
                    if (!socket.isClosed()) {
                        socket.setSoTimeout(120_000);
                    }
                } catch (IOException e) {
                    // Closed: connect() replaces it.
                }
            }
        }

        void close() {
            if (socket != null) {
                closeQuietly(socket);
                sockets.remove(socket);
                socket = null;
                in = null;
            }
        }
    }
}
