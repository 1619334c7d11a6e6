package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.eventlake.local.stack.ConnectRest;

/** Against a fake Connect REST API on loopback that answers a set status and records the restarts asked of it. */
class TransactionRestartsTest {

    private static final String ABORTED = "org.apache.kafka.connect.errors.ConnectException: "
        + "org.apache.kafka.common.errors.InvalidProducerEpochException: Producer with transactionalId 'connect-gen-0' "
        + "attempted to produce with an old epoch\n\tat org.apache.kafka.connect.runtime...";
    private static final String DATA = "org.apache.kafka.connect.errors.DataException: bad record";

    private HttpServer server;
    private final AtomicReference<String> status = new AtomicReference<>();
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private TransactionRestarts restarts;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/connectors/", exchange -> {
            byte[] body;
            int code = 200;
            if (exchange.getRequestMethod().equals("POST")) {
                posts.add(exchange.getRequestURI().getPath());
                body = new byte[0];
                code = 204;
            } else {
                body = status.get().getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ConnectRest rest = new ConnectRest("http://127.0.0.1:" + server.getAddress().getPort());
        restarts = new TransactionRestarts(rest, new PrintStream(said, true, StandardCharsets.UTF_8), clock::get);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void status(String connectorState, String taskState, String trace) {
        status.set("{\"name\":\"gen\",\"connector\":{\"state\":\"" + connectorState + "\"" + (connectorState.equals(
            "FAILED") ? ",\"trace\":\"" + DATA + "\"" : "") + "},\"tasks\":[{\"id\":1,\"state\":\"RUNNING\"},"
            + "{\"id\":0,\"state\":\"" + taskState + "\"" + (trace == null ? "" : ",\"trace\":\""
                + trace.replace("\n", "\\n").replace("\t", "\\t") + "\"") + "}]}");
    }

    /**
     * 1. Task 0 of the generator fails: its producer's transaction was expired by the coordinator
     *    (InvalidProducerEpochException). 2. The pipeline checks for failures: task 0 is restarted, none reported.
     * 3. The task runs again: nothing more happens.
     */
    @Test
    void aTaskWhoseTransactionWasAbortedUnderItIsRestartedAndTheRunGoesOn() throws Exception {
        status("RUNNING", "FAILED", ABORTED);
        assertNull(restarts.failure("gen"));
        assertEquals(List.of("/connectors/gen/tasks/0/restart"), posts);
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("gen task 0: its transaction was aborted under it"),
            said.toString(StandardCharsets.UTF_8));
        status("RUNNING", "RUNNING", null);
        clock.addAndGet(TransactionRestarts.GRACE_MS);
        assertNull(restarts.failure("gen"));
        assertEquals(1, posts.size());
    }

    /** 1. Task 0 fails on a bad record. 2. The failure is reported with its trace; nothing is restarted. */
    @Test
    void anyOtherFailureIsReported() throws Exception {
        status("RUNNING", "FAILED", DATA);
        assertEquals("gen task 0: " + DATA, restarts.failure("gen"));
        assertEquals(List.of(), posts);
    }

    /** 1. The connector itself fails. 2. It is reported, even when a task's transaction was aborted. */
    @Test
    void aFailedConnectorIsReported() throws Exception {
        status("FAILED", "FAILED", ABORTED);
        assertEquals("gen: " + DATA, restarts.failure("gen"));
        assertEquals(List.of(), posts);
    }

    /**
     * 1. Task 0 fails with an aborted transaction. 2. It is restarted. 3. The status still says FAILED within the grace
     *    after the restart (the status topic lags): it is not restarted again, nothing is reported.
     */
    @Test
    void aStaleFailedStatusRightAfterARestartIsLeftAlone() throws Exception {
        status("RUNNING", "FAILED", ABORTED);
        assertNull(restarts.failure("gen"));
        clock.addAndGet(TransactionRestarts.GRACE_MS - 1);
        assertNull(restarts.failure("gen"));
        assertEquals(1, posts.size());
    }

    /**
     * 1-6. Task 0 fails with an aborted transaction after each of its restarts (the broker stays too slow): it is
     * restarted three times. 7. The fourth failure is reported, with the restarts counted.
     */
    @Test
    void aTaskThatKeepsFailingIsReportedAfterItsRestarts() throws Exception {
        status("RUNNING", "FAILED", ABORTED);
        for (int i = 0; i < TransactionRestarts.MAX_RESTARTS; i++) {
            assertNull(restarts.failure("gen"), "restart " + (i + 1));
            clock.addAndGet(TransactionRestarts.GRACE_MS);
        }
        String failure = restarts.failure("gen");
        assertTrue(failure != null && failure.startsWith("gen task 0 (restarted 3 times): " + "org.apache"), failure);
        assertEquals(TransactionRestarts.MAX_RESTARTS, posts.size());
    }
}
