package io.eventlake.it;

import static io.eventlake.it.SinkHarness.await;
import static io.eventlake.it.SinkHarness.awaitGenerated;
import static io.eventlake.it.SinkHarness.generator;
import static io.eventlake.it.SinkHarness.rowsInLake;
import static io.eventlake.it.SinkHarness.sink;
import static io.eventlake.it.SinkHarness.taskMetric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.it.faults.Exchange;
import io.eventlake.it.faults.Fault;
import io.eventlake.it.faults.FaultProxy;
import io.eventlake.it.faults.Rule;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * The S3 Parquet sink on the real stack (plugin from its zip) with S3 behind a fault-injecting proxy: 503s, 500s,
 * reset connections, answers slower than the client's attempt timeout, a burst of faults that fails commits, and a
 * permanent access denied. The S3 client tries each request {@code s3.retry.max.attempts=3} times with an attempt
 * timeout of 2 s, so a fault on three attempts in a row fails the commit. After each scenario every (topic,
 * partition, offset) of the topic is in the lake exactly once ({@link LakeAudit}, read back by DuckDB).
 */
class SinkFaultsIT {

    @TempDir
    static Path work;
    static EmbeddedStack stack;
    static FaultProxy proxy;
    private final List<String> connectors = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = ItStack.start(work);
        proxy = FaultProxy.start(stack.s3Endpoint());
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void deleteConnectors() throws Exception {
        proxy.clearRules();
        for (String c : connectors) {
            stack.connect().delete(c);
        }
    }

    /** Data files of a partition: {@code /<bucket>/topics/<topic>/<folders>/<topic>+<p>+<offset>+<epoch>.parquet}. */
    private static String dataFiles(String topic, int partition) {
        return "/eventlake/topics/" + topic + "/.*/" + topic + "\\+" + partition + "\\+\\d+\\+\\d+\\.parquet";
    }

    private static String checkpoint(String topic, int partition) {
        return "/eventlake/_eventlake/checkpoints/topics/" + topic + "/" + partition + "\\.json";
    }

    /** Starts the generator and the sink (through the proxy) on a new topic. */
    private void run(String name, int partitions, int events, int perSecond, Map<String, String> sinkExtra)
        throws Exception {
        stack.createTopic(name, partitions);
        stack.connect().putConfig(name + "-generator", generator(name, events, perSecond));
        connectors.add(name + "-generator");
        Map<String, String> sink = sink(stack, proxy.endpoint(), name);
        sink.putAll(sinkExtra);
        stack.connect().putConfig(name + "-sink", sink);
        connectors.add(name + "-sink");
    }

    private static void awaitAllLanded(String name, int events) throws Exception {
        awaitGenerated(stack, name + "-generator", events);
        LakeAudit.awaitExactlyOnce(stack, name + "-sink", name, 180);
    }

    private static List<Exchange> exchanges(String method, String pathRegex) {
        return proxy.exchanges(e -> e.method().equals(method) && e.path().matches(pathRegex));
    }

    /** Requests for exactly this key. */
    private static List<Exchange> exchangesOf(String method, String path) {
        return proxy.exchanges(e -> e.method().equals(method) && e.path().equals(path));
    }

    /** Paths of requests answered with {@code status}. */
    private static List<String> answered(int status, String method, String pathRegex) {
        return exchanges(method, pathRegex).stream().filter(e -> e.status() == status).map(Exchange::path).toList();
    }

    /** True when the key was written with a 200 at some point after the exchange {@code after}. */
    private static boolean writtenLater(String key, Exchange after) {
        return proxy.exchanges().stream().anyMatch(e -> e.request().seq() > after.request().seq()
            && e.method().equals("PUT") && e.path().equals(key) && e.status() == 200);
    }

    private static void assertRunning(String connector) throws Exception {
        JsonNode status = stack.connect().status(connector);
        assertTrue(status != null && "RUNNING".equals(status.path("tasks").path(0).path("state").asText()),
            connector + " is not RUNNING: " + status);
    }

    /**
     * 503 SlowDown on data uploads, absorbed by the S3 client's retries.
     * <ol>
     *   <li>The first data upload of partition 0 is answered 503 SlowDown twice; the client's third attempt gets
     *       through.</li>
     *   <li>The third and fourth upload requests of partition 1 are answered 503 SlowDown; again the client's next
     *       attempt gets through.</li>
     * </ol>
     * No commit fails, nothing is deleted, every refused key is written on a later attempt, and every offset lands
     * once.
     */
    @Test
    void slowDownOnDataUploadsIsAbsorbedByTheClientsRetries() throws Exception {
        String name = "faults-slowdown";
        Rule p0 = proxy.add(Rule.on("PUT", dataFiles(name, 0)).nth(1).times(2).then(Fault.slowDown()));
        Rule p1 = proxy.add(Rule.on("PUT", dataFiles(name, 1)).nth(3).times(2).then(Fault.slowDown()));
        run(name, 2, 4000, 2000, Map.of());
        awaitAllLanded(name, 4000);

        assertEquals(2, p0.fired());
        assertEquals(2, p1.fired());
        assertEquals(0.0, taskMetric(name + "-sink", "commit-failures-total"), "no commit failed");
        List<Exchange> refused = exchanges("PUT", "/eventlake/topics/" + name + "/.*").stream()
            .filter(e -> e.status() == 503).toList();
        assertEquals(4, refused.size(), refused.toString());
        for (Exchange e : refused) {
            assertTrue(writtenLater(e.path(), e), e.path() + " was not written on a later attempt");
        }
        assertEquals(List.of(), exchanges("DELETE", "/eventlake/topics/" + name + "/.*"), "nothing rewound");
        assertRunning(name + "-sink");
    }

    /**
     * 500 on a checkpoint write fails the commit, which is rewound and done again.
     * <ol>
     *   <li>Partition 0's first batch: the intent is written, the file(s) uploaded.</li>
     *   <li>The commit write ({@code next: <end of batch>}) is answered 500 InternalError on all three attempts of
     *       the client: the commit fails.</li>
     *   <li>At its next call the task drops the batch, rewinds partition 0 to the first offset it read, and pauses it
     *       for the commit backoff; then resumes it.</li>
     *   <li>The batch is read again; its commit first deletes the files of the failed one, writes the intent,
     *       uploads the files (the same keys: same first offset, same owner epoch) and commits.</li>
     * </ol>
     * The task never leaves RUNNING and every offset lands once.
     */
    @Test
    void internalErrorOnACheckpointWriteFailsTheCommitWhichIsRewoundAndDoneAgain() throws Exception {
        String name = "faults-checkpoint";
        // If-Match: the intent and commit writes (the first write of a new checkpoint has If-None-Match).
        Rule commit = proxy.add(Rule.on("PUT", checkpoint(name, 0)).header("If-Match", ".+").nth(2).times(3)
            .then(Fault.internalError()));
        run(name, 2, 4000, 2000, Map.of());
        awaitAllLanded(name, 4000);

        assertEquals(3, commit.fired());
        assertEquals(1.0, taskMetric(name + "-sink", "commit-failures-total"));
        List<Exchange> refused = exchanges("PUT", checkpoint(name, 0)).stream().filter(e -> e.status() == 500)
            .toList();
        assertEquals(3, refused.size());
        List<Exchange> failedBatch = exchanges("PUT", dataFiles(name, 0)).stream()
            .filter(e -> e.request().seq() < refused.get(0).request().seq()).toList();
        assertEquals(1, failedBatch.size(), "the failed batch uploaded its file first: " + failedBatch);
        String key = failedBatch.get(0).path();
        int lastRefusal = refused.get(2).request().seq();
        assertTrue(exchangesOf("DELETE", key).stream().anyMatch(d -> d.request().seq() > lastRefusal),
            key + " was not deleted after the failed commit");
        assertTrue(writtenLater(key, refused.get(2)), key + " was not written again");
        assertRunning(name + "-sink");
    }

    /**
     * Reset connections, before and after S3 acted.
     * <ol>
     *   <li>Partition 0's first data upload: the connection is reset while the body is sent. S3 never saw it; the
     *       client's retry writes the file.</li>
     *   <li>Partition 1's first data upload: S3 writes the file, then the connection is reset in the middle of the
     *       answer. The client's retry is refused with 412 (the key exists, If-None-Match), so the commit fails:
     *       the task rewinds partition 1, deletes that file before its next intent and writes it again.</li>
     *   <li>Partition 0's first commit write: S3 writes the checkpoint, then the connection is reset mid-answer. The
     *       retry names the old ETag and gets 412; the lease reads the checkpoint, finds its own epoch (its own write
     *       went through) and writes again naming the new ETag. No commit fails.</li>
     * </ol>
     * One commit failure in all (partition 1's), and every offset lands once.
     */
    @Test
    void resetConnectionsAreRetriedAndAWriteThatWentThroughIsNotDoubled() throws Exception {
        String name = "faults-reset";
        Rule p0 = proxy.add(Rule.on("PUT", dataFiles(name, 0)).nth(1).then(Fault.resetMidRequest()));
        Rule p1 = proxy.add(Rule.on("PUT", dataFiles(name, 1)).nth(1).then(Fault.resetMidResponse()));
        Rule cp = proxy.add(Rule.on("PUT", checkpoint(name, 0)).header("If-Match", ".+").nth(2)
            .then(Fault.resetMidResponse()));
        run(name, 2, 4000, 2000, Map.of());
        awaitAllLanded(name, 4000);

        assertEquals(List.of(1, 1, 1), List.of(p0.fired(), p1.fired(), cp.fired()));
        assertEquals(1.0, taskMetric(name + "-sink", "commit-failures-total"), "partition 1's commit, only");
        List<Exchange> p1Uploads = exchanges("PUT", dataFiles(name, 1));
        String key = p1Uploads.get(0).path();
        List<Integer> statuses = p1Uploads.stream().filter(e -> e.path().equals(key)).map(Exchange::status).toList();
        assertEquals(List.of(200, 412, 200), statuses, "written, refused on retry, written again after the rewind");
        assertEquals(1, exchangesOf("DELETE", key).size());
        List<Integer> checkpointWrites = exchanges("PUT", checkpoint(name, 0)).stream().map(Exchange::status)
            .toList().subList(0, 4);
        assertEquals(List.of(200, 200, 200, 412), checkpointWrites, "create, intent, commit (reset), its retry");
        assertRunning(name + "-sink");
    }

    /**
     * Answers slower than the client's attempt timeout (2 s), and one merely slow.
     * <ol>
     *   <li>Partition 0's first data upload: S3 writes the file; its answer is held 5 s. The client gives up the
     *       attempt and retries: 412, the key exists. The commit fails; the task rewinds partition 0, deletes the file
     *       and writes it again.</li>
     *   <li>Partition 1's first intent write: S3 writes it; its answer is held 5 s. The client's retry names the old
     *       ETag: 412; the lease finds its own epoch and writes again. No commit fails.</li>
     *   <li>Partition 1's first data upload is delayed 1 s before S3 sees it: slow, within the timeout.</li>
     * </ol>
     */
    @Test
    void answersSlowerThanTheAttemptTimeoutAreRetriedWithoutDoubling() throws Exception {
        String name = "faults-slow";
        Rule upload = proxy.add(Rule.on("PUT", dataFiles(name, 0)).nth(1)
            .then(Fault.holdResponse(Duration.ofSeconds(5))));
        Rule intent = proxy.add(Rule.on("PUT", checkpoint(name, 1)).header("If-Match", ".+").nth(1)
            .then(Fault.holdResponse(Duration.ofSeconds(5))));
        Rule slow = proxy.add(Rule.on("PUT", dataFiles(name, 1)).nth(1).then(Fault.delay(Duration.ofSeconds(1))));
        run(name, 2, 4000, 2000, Map.of());
        awaitAllLanded(name, 4000);

        assertEquals(List.of(1, 1, 1), List.of(upload.fired(), intent.fired(), slow.fired()));
        assertEquals(1.0, taskMetric(name + "-sink", "commit-failures-total"), "partition 0's commit, only");
        String key = exchanges("PUT", dataFiles(name, 0)).get(0).path();
        assertEquals(List.of(200, 412, 200), exchangesOf("PUT", key).stream().map(Exchange::status).toList());
        assertEquals(List.of(200, 412, 200), exchanges("PUT", checkpoint(name, 1)).stream()
            .filter(e -> e.request().header("If-Match") != null).map(Exchange::status).toList().subList(0, 3));
        assertRunning(name + "-sink");
    }

    /**
     * A burst of faults long enough to fail commits: S3 answers 503 SlowDown to every write of the topic (data
     * files and checkpoints) while data flows.
     * <ol>
     *   <li>Data lands for a while; then every PUT under the topic's folder and its checkpoints is refused.</li>
     *   <li>Commits fail after the client's three attempts. At its next call the task drops the failed batches,
     *       rewinds each partition to its checkpoint and pauses it for a backoff (200 ms, doubling to 1 s); it
     *       resumes, reads the partition again, and the next commit fails too.</li>
     *   <li>Once at least three commits have failed, S3 recovers.</li>
     * </ol>
     * The task is RUNNING at every look, and every offset lands once: the records of the failed batches, which the
     * consumer had already read past, are in the lake, so each partition was rewound.
     */
    @Test
    void aBurstOfFaultsFailsCommitsWhileTheTaskStaysRunningAndLandsEverything() throws Exception {
        String name = "faults-burst";
        run(name, 2, 10_000, 1000, Map.of());
        await(120, "data in the lake", () -> rowsInLake(stack, name) >= 500);

        Rule data = proxy.add(Rule.on("PUT", "/eventlake/topics/" + name + "/.*").always().then(Fault.slowDown()));
        Rule checkpoints = proxy.add(Rule.on("PUT", "/eventlake/_eventlake/checkpoints/topics/" + name + "/.*")
            .always().then(Fault.slowDown()));
        await(120, "three failed commits", () -> {
            assertRunning(name + "-sink");
            return taskMetric(name + "-sink", "commit-failures-total") >= 3;
        });
        proxy.clearRules();
        assertTrue(data.fired() + checkpoints.fired() >= 9, data + " " + checkpoints);

        awaitAllLanded(name, 10_000);
        assertRunning(name + "-sink");
    }

    /**
     * A permanent error: S3 answers 403 AccessDenied to every data upload.
     * <ol>
     *   <li>The first commit writes its intent; the upload is refused with 403. The client does not retry it.</li>
     *   <li>The task fails, with a message that names the object and the permissions the credentials need.</li>
     *   <li>The permission is granted (the rule removed) and the task restarted: it opens the partition under a new
     *       epoch, deletes the files the failed intent named, and lands the topic.</li>
     * </ol>
     */
    @Test
    void aPermanentAccessDeniedFailsTheTaskSayingWhatToFix() throws Exception {
        String name = "faults-denied";
        Rule denied = proxy.add(Rule.on("PUT", dataFiles(name, 0)).always().then(Fault.accessDenied()));
        run(name, 1, 2000, 0, Map.of());
        String[] trace = new String[1];
        await(120, "the task to fail", () -> (trace[0] = stack.connect().failure(name + "-sink")) != null);
        assertTrue(trace[0].contains("access denied; the credentials need s3:GetObject, s3:PutObject"), trace[0]);
        assertTrue(trace[0].contains("s3://eventlake/topics/" + name + "/"), trace[0]);
        assertEquals(0, rowsInLake(stack, name));
        List<String> refused = answered(403, "PUT", dataFiles(name, 0));
        assertEquals(refused.size(), refused.stream().distinct().count(), "a 403 is not retried: " + refused);
        assertTrue(denied.fired() >= 1);

        proxy.clearRules();
        stack.connect().restart(name + "-sink");
        awaitAllLanded(name, 2000);
        assertEquals(2, LakeAudit.checkpoint(stack, name, 0).path("epoch").asInt(), "reopened under a new epoch");
    }
}
