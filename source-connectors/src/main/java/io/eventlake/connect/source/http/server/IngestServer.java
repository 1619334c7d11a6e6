package io.eventlake.connect.source.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.eventlake.connect.source.http.event.BodyParser;
import io.eventlake.connect.source.http.event.Event;
import io.eventlake.connect.source.http.event.InvalidBodyException;

/**
 * One task's HTTP(S) endpoint on the JDK's built-in server. A POST is read within the size limits and the read
 * deadline ({@link ReadDeadlines}: a slow client holds one of many read threads, and not for long), authenticated,
 * parsed whole (at most {@code http.threads} at once), queued in the {@link IngestBuffer} and left open: its answer is written later, by whoever settles the
 * request (the last acknowledgement, its timeout, or {@link #close()}), on the server's threads. Requests refused
 * before they are queued store nothing.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
    private static final long CLOSE_WAIT_MS = 5_000;
    /**
     * The JDK server leaves Nagle's algorithm on unless this is set, and writes an answer's headers and body apart:
     * the body then waits for the client's delayed ACK, some 40 ms per request. It is read once per JVM, when the
     * first JDK server starts; nothing else in a Connect worker uses that server.
     */
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final ServerSettings settings;
    private final BodyParser parser;
    private final IngestBuffer buffer;
    private final BodyReader bodies;
    private final RequestAuth auth;
    private HttpServer server;
    private int port;
    private ReadDeadlines readers;
    private ThreadPoolExecutor answers;
    private Semaphore parsing;
    private OpenRequests open;

    public IngestServer(ServerSettings settings, BodyParser parser, IngestBuffer buffer) {
        this.settings = settings;
        this.parser = parser;
        this.buffer = buffer;
        this.bodies = new BodyReader(settings.requestMaxBytes(), buffer, settings.retryAfterSeconds());
        this.auth = new RequestAuth(settings.bearerToken(), settings.hmacSecret(), settings.signatureHeader(),
            settings.hmacToleranceSeconds());
    }

    /**
     * Binds the port and starts answering.
     * @throws ConnectException when the address cannot be bound
     */
    public IngestServer start() {
        String noDelay = System.getProperty(NO_DELAY_PROPERTY);
        if (noDelay == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        } else if (!Boolean.parseBoolean(noDelay)) {
            log.warn("{}: the JVM sets {}={}, so every answer waits for the client's delayed ACK (about 40 ms)",
                settings.name(), NO_DELAY_PROPERTY, noDelay);
        }
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        try {
            if (settings.tls() != null) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(settings.tls()));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (BindException e) {
            throw new ConnectException("cannot listen on " + address + " (http.bind.address, and http.port plus the "
                + "task's number): " + e.getMessage() + "; is another task or program on this port?", e);
        } catch (IOException e) {
            throw new ConnectException("cannot listen on " + address + ": " + e, e);
        }
        readers = new ReadDeadlines(settings.threads(), settings.readThreads(), settings.readTimeoutMs(),
            threads(settings.name() + "-http"), threads(settings.name() + "-read-timer"));
        // Answers are small and written once each; their number is bounded by the open requests (the buffer).
        answers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), threads(settings.name() + "-http-answer"));
        parsing = new Semaphore(settings.threads());
        open = new OpenRequests(buffer, settings.ackTimeoutMs(), settings.retryAfterSeconds(),
            threads(settings.name() + "-ack-timer"));
        server.setExecutor(readers);
        // One context for every path: the JDK matches contexts by prefix, ingest paths must match exactly.
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        log.info("{} listening on {}://{}:{}: {}", settings.name(), settings.tls() != null ? "https" : "http",
            settings.bindAddress(), port(), settings.routes());
        return this;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port bound (also after close). */
    public int port() {
        return port;
    }

    /** Requests accepted and not answered yet, queued or awaiting acknowledgement. */
    public int pending() {
        return open.size();
    }

    /** Requests being read right now. */
    int reading() {
        return readers.reading();
    }

    /** Connections closed at once because every read thread was busy. */
    long refusedConnections() {
        return readers.refused();
    }

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(settings.healthPath())) {
                health(exchange);
                return;
            }
            String topic = settings.routes().get(path);
            if (topic == null) {
                write(exchange, Response.rejected(404, "no ingest path " + path + "; POST events to one of "
                    + settings.routes().keySet()));
                return;
            }
            ingest(exchange, topic);
        } catch (RuntimeException e) {
            log.warn("{}: unexpected error while handling a request", settings.name(), e);
            write(exchange, Response.unknown(500, "internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void ingest(HttpExchange exchange, String topic) {
        BodyReader.Body body = null;
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                throw new Rejection(Response.rejected(405, "use POST to send events", Map.of("Allow", "POST")));
            }
            String unavailable = unavailableReason();
            if (unavailable != null) {
                throw new Rejection(Response.unavailable(unavailable, settings.retryAfterSeconds()));
            }
            Headers headers = exchange.getRequestHeaders();
            auth.checkToken(headers);
            BodyParser.Format format = ContentTypes.format(headers);
            body = bodies.read(exchange.getRequestBody(), declaredLength(headers));
            if (!ReadDeadlines.bodyRead()) {
                throw new IOException("the request took longer than " + settings.readTimeoutMs()
                    + " ms to arrive (http.read.timeout.ms)");
            }
            List<Event> events = checkAndParse(exchange, headers, format, body);
            IngestRequest request = new IngestRequest(topic, events, body.reserved(), settings.acknowledgeDropped(),
                response -> respondLater(exchange, response));
            body = null;
            open.admit(request);
        } catch (Rejection e) {
            release(body);
            write(exchange, e.response());
        } catch (InvalidBodyException e) {
            release(body);
            write(exchange, Response.badRequest(e.getMessage(), e.line(), e.event(), e.field()));
        } catch (IOException e) {
            release(body);
            log.debug("{}: the client went away while sending its request: {}", settings.name(), e.toString());
            exchange.close();
        }
    }

    /** At most {@code http.threads} requests are checked and parsed at once, however many are read. */
    private List<Event> checkAndParse(HttpExchange exchange, Headers headers, BodyParser.Format format,
                                      BodyReader.Body body) throws Rejection, InvalidBodyException {
        parsing.acquireUninterruptibly();
        try {
            auth.checkSignature(headers, exchange.getRequestURI().getRawPath(), body.data(), body.length(),
                System.currentTimeMillis());
            return parser.parse(body.data(), body.length(), format, System.currentTimeMillis());
        } finally {
            parsing.release();
        }
    }

    private void release(BodyReader.Body body) {
        if (body != null) {
            buffer.release(body.reserved());
        }
    }

    private static long declaredLength(Headers headers) throws Rejection {
        String te = headers.getFirst("Transfer-Encoding");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            return -1;
        }
        String cl = headers.getFirst("Content-Length");
        if (cl == null) {
            throw new Rejection(Response.rejected(411, "send a Content-Length or a chunked body"));
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new Rejection(Response.rejected(400, "Content-Length '" + cl + "' is not a number"));
        }
    }

    /** Why new requests are refused right now, or null when they are taken. */
    String unavailableReason() {
        if (buffer.closed()) {
            return "the task is stopping";
        }
        long idle = buffer.millisSinceTake();
        if (idle > settings.stallMs()) {
            return "Connect has not polled this task for " + idle + " ms (the connector may be paused, or Kafka "
                + "slow)";
        }
        return null;
    }

    private void health(HttpExchange exchange) {
        String reason = unavailableReason();
        int queued = buffer.queued();
        String body = Response.json("status", reason == null ? "ok" : "unavailable", "reason",
            reason == null ? "" : reason, "queued_requests", queued, "awaiting_ack", open.awaitingAck(),
            "buffered_bytes", buffer.bytes(), "buffer_max_bytes", buffer.maxBytes(), "reading_requests",
            readers.reading(), "cut_requests", readers.cut(), "refused_connections", readers.refused());
        write(exchange, new Response(reason == null ? 200 : 503, body, Map.of()));
    }

    private void respondLater(HttpExchange exchange, Response response) {
        // Never on the caller's thread: that is Connect's task thread or the producer's network thread.
        try {
            answers.execute(() -> write(exchange, response));
        } catch (RejectedExecutionException e) {
            write(exchange, response);
        }
    }

    private void write(HttpExchange exchange, Response response) {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        try {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/json");
            response.headers().forEach(headers::set);
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            log.debug("{}: could not answer {} to a client that went away: {}", settings.name(), response.status(),
                e.toString());
            exchange.close();
        }
    }

    /**
     * Stops taking requests, answers every open one ({@link OpenRequests#closeAll()}), waits for the answers to be
     * written, then releases the port.
     */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        int[] answered = open.closeAll();
        log.info("{} stopping: {} queued requests answered 503, {} awaiting acknowledgement answered 500",
            settings.name(), answered[0], answered[1]);
        answers.shutdown();
        try {
            if (!answers.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("{}: answers still being written after {} ms; closing their connections", settings.name(),
                    CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        answers.shutdownNow();
        readers.shutdown();
        server = null;
    }
}
