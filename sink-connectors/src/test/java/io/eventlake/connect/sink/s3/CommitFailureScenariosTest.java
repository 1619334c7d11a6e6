package io.eventlake.connect.sink.s3;

import static io.eventlake.connect.sink.s3.SinkFixture.CHECKPOINT;
import static io.eventlake.connect.sink.s3.SinkFixture.T0;
import static io.eventlake.connect.sink.s3.SinkFixture.TOPIC;
import static io.eventlake.connect.sink.s3.SinkFixture.TP;
import static io.eventlake.connect.sink.s3.SinkFixture.await;
import static io.eventlake.connect.sink.s3.SinkFixture.range;
import static io.eventlake.connect.sink.s3.SinkFixture.records;
import static io.eventlake.connect.sink.s3.SinkFixture.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.sink.s3.storage.RetriableStorageException;
import io.eventlake.connect.sink.s3.storage.StorageException;

/**
 * Crashes, zombies, rebalances and S3 faults, each as the exact sequence of events in its Javadoc. After each, every
 * offset is in the lake exactly once and the checkpoint never moves back.
 */
class CommitFailureScenariosTest {

    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final SinkFixture f = new SinkFixture();

    /** Offsets {@code from..to-1} alternating between hour 10 and hour 11 of event time: two files per batch. */
    private static List<SinkRecord> mixedHours(long from, long to) {
        List<SinkRecord> out = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            long eventTime = offset % 2 == 0 ? T0 + offset : T0 + 3_600_000L + offset;
            Struct value = new Struct(SinkFixture.SCHEMA).put("id", offset).put("event_time", new Date(eventTime));
            out.add(new SinkRecord(TOPIC, 0, null, null, SinkFixture.SCHEMA, value, offset, eventTime,
                TimestampType.CREATE_TIME));
        }
        return out;
    }

    /** A task (flush size 100) that Connect drives over one partition, {@code TP}, holding {@code log}. */
    private ConnectDriver drivenTask(List<SinkRecord> log) {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> f.store, f.time);
        task.initialize(context);
        task.start(SinkFixture.props(100, Map.of()));
        Map<TopicPartition, List<SinkRecord>> logs = new HashMap<>();
        logs.put(TP, log);
        ConnectDriver driver = new ConnectDriver(task, context, logs);
        driver.assign(List.of(TP));
        return driver;
    }

    /** The next upload of the file that starts at offset 100 fails once with a 503 (retriable). */
    private void failUploadOfTheFileAt100Once() {
        f.store.fail(op -> op.startsWith("put topics/") && op.contains("+00000000000000000100+"),
            op -> new RetriableStorageException("503 SlowDown " + op, null), 1);
    }

    /** Polls, advancing the clock, until the backoff is over and the partition resumed; then reads the rest. */
    private void pollThroughTheBackoff(ConnectDriver driver) throws InterruptedException {
        assertTrue(await(() -> {
            f.time.advance(10);
            driver.poll(100);
            return !driver.context.paused.contains(TP);
        }), "resumed after the backoff");
        for (int i = 0; i < 5; i++) {
            driver.poll(100);
            settle(driver.task);
        }
    }

    /**
     * A worker dies in the middle of a commit.
     * <ol>
     *   <li>Task A commits offsets 0..999 (one file).</li>
     *   <li>A's next batch, 1000..1999, has two files (hours 10 and 11). A writes the intent naming both, uploads the
     *       hour-10 file, and dies before the hour-11 upload (the worker is killed: no close, no stop).</li>
     *   <li>Task B opens the partition: it raises the owner epoch, deletes both pending files (the hour-10 one
     *       exists), and resumes at 1000.</li>
     *   <li>B writes 1000..1999 again, cut into files differently (flush size 300).</li>
     * </ol>
     * The lake holds 0..1999 exactly once: without the deletion of pending files, the hour-10 file of A stays and
     * 500 records land twice.
     */
    @Test
    void aCrashDuringUploadIsRepairedByTheNextOwnerWithoutDuplicates() throws Exception {
        S3ParquetSinkTask a = f.start(1000);
        a.put(records(0, 1000));
        settle(a);
        CountDownLatch[] hour11 = f.store.hold(op -> op.startsWith("put ") && op.contains("hour=11"));
        a.put(mixedHours(1000, 2000));
        assertTrue(hour11[0].await(20, TimeUnit.SECONDS), "A reached the second upload");
        assertTrue(f.checkpoint().contains("pending\":[\"topics"), f.checkpoint());
        // The uploads run in parallel on the upload pool: the hour-10 one may still be in flight when hour 11 is held.
        assertTrue(await(() -> f.store.keysEndingWith(".parquet").stream()
            .filter(k -> k.contains("+00000000000000001000+1")).count() == 1),
            "the hour-10 file of the interrupted batch was written");
        // A is dead from here on: its held upload is never released.

        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask b = f.start(300, false, context, Map.of(), List.of(TP));
        assertEquals(Map.of(TP, 1000L), context[0].rewinds);
        assertEquals(List.of(), f.store.keysEndingWith(".parquet").stream().filter(k -> k.contains("+00000000000000001000+1"))
            .toList(), "opening the partition deleted the pending file");
        b.put(mixedHours(1000, 2000));
        f.time.advance(60_000);
        b.preCommit(Map.of());
        settle(b);

        assertEquals(range(0, 2000), f.idsInLake());
        assertTrue(f.checkpoint().startsWith("{\"epoch\":2,\"next\":2000"), f.checkpoint());
        hour11[1].countDown();
    }

    /**
     * One upload of a batch fails while a sibling is still in flight.
     * <ol>
     *   <li>Task A commits offsets 0..999 (one file).</li>
     *   <li>A's next batch, 1000..1999, has two files (hours 10 and 11). A writes the intent naming both; the hour-10
     *       upload fails at once (a 503), the hour-11 upload is slow (still on the upload pool).</li>
     *   <li>The partition is revoked from A (a rebalance): A closes it.</li>
     *   <li>A's hour-11 upload lands.</li>
     *   <li>Task B opens the partition: it raises the owner epoch, deletes the files of A's intent, resumes at 1000
     *       and commits 1000..1999 under its own keys.</li>
     * </ol>
     * A's close must not return while the hour-11 upload is in flight: if it did (the commit gave up at the first
     * failed upload), B could delete before that upload lands, and A's hour-11 file would stay in the lake, listed by
     * no checkpoint, its 500 rows there twice. The lake holds 0..1999 exactly once.
     */
    @Test
    void aFailedUploadWaitsForItsSiblingsSoNoneLandsAfterTheNextOwnerCleanedUp() throws Exception {
        S3ParquetSinkTask a = f.start(1000, false, null, Map.of("close.wait.ms", "60000"), List.of(TP));
        a.put(records(0, 1000));
        settle(a);
        f.store.fail(op -> op.startsWith("put ") && op.contains("hour=10") && op.contains("+00000000000000001000+"),
            op -> new RetriableStorageException("503 SlowDown " + op, null), 1);
        CountDownLatch[] hour11 = f.store.hold(op -> op.startsWith("put ") && op.contains("hour=11"));
        a.put(mixedHours(1000, 2000));
        assertTrue(hour11[0].await(20, TimeUnit.SECONDS), "the hour-11 upload is in flight");
        assertTrue(await(() -> f.store.operations().stream().anyMatch(o -> o.startsWith("FAILED put")
            && o.contains("hour=10"))), "the hour-10 upload failed");

        Thread revoke = new Thread(() -> a.close(List.of(TP)), "revoke");
        revoke.start();
        revoke.join(500);
        assertTrue(revoke.isAlive(), "close returned while an upload of the failed batch was still in flight");
        hour11[1].countDown();
        revoke.join(30_000);
        assertFalse(revoke.isAlive(), "close returns once the upload has landed");

        S3ParquetSinkTask b = f.start(300, false, null, Map.of(), List.of(TP));
        b.put(mixedHours(1000, 2000));
        f.time.advance(60_000);
        b.preCommit(Map.of());
        settle(b);
        assertEquals(range(0, 2000), f.idsInLake());
        assertTrue(f.checkpoint().startsWith("{\"epoch\":2,\"next\":2000"), f.checkpoint());
    }

    /**
     * A revoke outlasts {@code close.wait.ms} while a commit is under way.
     * <ol>
     *   <li>Task A (close.wait.ms 50) seals offsets 0..99 (flush size 100): the batch's bytes are held in the memory
     *       budget until it is committed; its upload stalls.</li>
     *   <li>The partition is revoked: A waits 50 ms, then abandons the partition with the commit still under way.</li>
     *   <li>The upload goes on and the commit completes (no other owner took the partition).</li>
     * </ol>
     * The batch under way belongs to the commit thread: abandoning drops only the batches queued behind it. Had the
     * abandon also released the batch's bytes and discarded its files, the commit would have released the bytes a
     * second time (the budget counting a negative amount in flight from then on, so the task could hold that much
     * more than its limit) and uploaded a discarded buffer.
     */
    @Test
    void aRevokeDuringACommitReleasesTheBatchsMemoryOnceAndItsFileLandsWhole() throws Exception {
        S3ParquetSinkTask a = f.start(100, false, null, Map.of("close.wait.ms", "50"), List.of(TP));
        CountDownLatch[] upload = f.store.hold(op -> op.startsWith("put topics/"));
        a.put(records(0, 100));
        assertTrue(upload[0].await(20, TimeUnit.SECONDS), "the upload is under way");
        long held = a.writer().bufferedBytes();
        assertTrue(held > 0, "the sealed batch's bytes are held until it is committed");

        a.close(List.of(TP));
        assertEquals(held, a.writer().bufferedBytes(), "the commit under way still holds its bytes");
        upload[1].countDown();
        assertTrue(await(() -> a.writer().bufferedBytes() != held), "the commit finished");

        assertEquals(0, a.writer().bufferedBytes(), "released once");
        assertTrue(await(() -> f.checkpoint().contains("\"next\":100")), f.checkpoint());
        assertEquals(range(0, 100), f.idsInLake());
    }

    /**
     * An offsets reset does not restart the owner epoch.
     * <ol>
     *   <li>Task A opens the partition (epoch 1) and commits 0..99; its next batch, 100..199, is uploaded but its
     *       final checkpoint write stalls (A is a zombie from here on).</li>
     *   <li>The user stops the connector and resets its offsets (DELETE /connectors/x/offsets): the sink writes a
     *       reset marker under epoch 2 instead of deleting the checkpoint.</li>
     *   <li>Task B opens the partition (epoch 3), the consumer group restarts at 0, and B commits 0..49.</li>
     *   <li>A wakes up and writes its checkpoint.</li>
     * </ol>
     * A's write is fenced (epoch 1 is not B's), so the checkpoint stays B's {@code next: 50}, and B's files do not
     * take the names of A's committed pre-reset file (they carry epoch 3): that file stays, as a reset leaves the
     * lake's files. Had the reset deleted the checkpoint, B would have opened at epoch 1 again: A's write would pass
     * the same-epoch check and move the checkpoint to A's 200, and B would write A's file names.
     */
    @Test
    void anOffsetsResetKeepsTheOwnerEpochRisingSoAPreResetZombieIsFenced() throws Exception {
        S3ParquetSinkTask a = f.start(100);
        a.put(records(0, 100));
        settle(a);
        CountDownLatch[] stall = f.store.hold(op -> op.equals("put " + CHECKPOINT)
            && f.store.operations().stream().anyMatch(o -> o.startsWith("put topics/")
            && o.contains("+00000000000000000100+")));
        a.put(records(100, 200));
        assertTrue(stall[0].await(20, TimeUnit.SECONDS), "A stalls before its final checkpoint write");

        Map<TopicPartition, Long> reset = new java.util.HashMap<>();
        reset.put(TP, null);
        S3ParquetSinkConnector.applyOffsets(f.store, new io.eventlake.connect.sink.s3.commit.CheckpointStore(f.store,
            new io.eventlake.connect.sink.s3.config.S3ParquetSinkConfig(SinkFixture.props(100, Map.of()))
                .checkpointPrefix()), reset);
        assertTrue(f.checkpoint().startsWith("{\"epoch\":2,\"next\":-1"), f.checkpoint());

        S3ParquetSinkTask b = f.start(50);
        b.put(records(0, 50));
        settle(b);
        assertTrue(f.checkpoint().startsWith("{\"epoch\":3,\"next\":50"), f.checkpoint());

        stall[1].countDown();
        settle(a);
        assertTrue(f.checkpoint().startsWith("{\"epoch\":3,\"next\":50"), "the zombie wrote nothing: "
            + f.checkpoint());
        assertEquals(Map.of(), a.preCommit(Map.of()), "a fenced task reports no offset for the partition");
        // A's committed pre-reset file (0..99) stays, B's 0..49 is beside it under its own name.
        List<Long> expected = new ArrayList<>(range(0, 100));
        expected.addAll(range(0, 50));
        expected.sort(null);
        assertEquals(expected, f.idsInLake());
    }

    /**
     * A zombie's late checkpoint write cannot move the checkpoint back.
     * <ol>
     *   <li>Task A (epoch 1) buffers 0..99 and starts its commit: intent, then its file; its final checkpoint write
     *       {@code {next: 100}} stalls (a long GC pause, or eviction by max.poll.interval.ms).</li>
     *   <li>The partition moves to task B: B raises the epoch to 2, deletes A's pending file, resumes at 0, and
     *       commits 0..149: {@code {epoch: 2, next: 150}}.</li>
     *   <li>A wakes up and writes {@code {next: 100}}: the write names A's ETag, which is stale, so it fails; A is
     *       fenced, deletes its own file (its name carries epoch 1) and drops the partition.</li>
     *   <li>B dies; task C opens the partition.</li>
     * </ol>
     * C resumes at 150, not 100 (which would land 100..149 twice, or lose 150..199 in the variant), and the
     * lake holds 0..149 exactly once.
     */
    @Test
    void aStalledOldOwnerIsFencedAndCannotMoveTheCheckpointBack() throws Exception {
        S3ParquetSinkTask a = f.start(100);
        CountDownLatch[] stall = f.store.hold(op -> op.equals("put " + CHECKPOINT)
            && f.store.operations().stream().anyMatch(o -> o.startsWith("put topics/")));
        a.put(records(0, 100));
        assertTrue(stall[0].await(20, TimeUnit.SECONDS), "A stalls before its final checkpoint write");

        S3ParquetSinkTask b = f.start(150);
        b.put(records(0, 150));
        settle(b);
        assertEquals(range(0, 150), f.idsInLake());
        assertTrue(f.checkpoint().startsWith("{\"epoch\":2,\"next\":150"), f.checkpoint());

        stall[1].countDown();
        settle(a);
        assertTrue(f.checkpoint().startsWith("{\"epoch\":2,\"next\":150"), "the zombie wrote nothing: "
            + f.checkpoint());
        assertEquals(Map.of(), a.preCommit(Map.of()), "a fenced task reports no offset for the partition");
        assertEquals(range(0, 150), f.idsInLake());

        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        f.start(150, false, context, Map.of(), List.of(TP));
        assertEquals(Map.of(TP, 150L), context[0].rewinds);
    }

    /**
     * A zombie's upload that arrives after the new owner cleaned up is deleted again.
     * <ol>
     *   <li>Task A (epoch 1) writes the intent for 0..99 and stalls right before uploading its file.</li>
     *   <li>Task B opens the partition (epoch 2): the pending file does not exist yet, so deleting it is a no-op;
     *       B commits 0..99 under its own file name (epoch 2).</li>
     *   <li>A wakes up: its upload lands (its epoch-1 name is free), then its checkpoint write fails: A is fenced and
     *       deletes the file it just wrote.</li>
     *   <li>Even had A died right after its upload, B deletes the names A had pending once more after its next
     *       commit.</li>
     * </ol>
     * The lake holds 0..99 exactly once.
     */
    @Test
    void aZombiesLateUploadIsRemoved() throws Exception {
        S3ParquetSinkTask a = f.start(100);
        CountDownLatch[] stall = f.store.hold(op -> op.startsWith("put topics/"));
        a.put(records(0, 100));
        assertTrue(stall[0].await(20, TimeUnit.SECONDS));

        S3ParquetSinkTask b = f.start(100);
        b.put(records(0, 100));
        settle(b);
        stall[1].countDown();
        settle(a);
        assertEquals(range(0, 100), f.idsInLake());
        assertTrue(f.store.keysEndingWith(".parquet").stream().allMatch(k -> k.endsWith("+2.parquet")),
            f.store.keysEndingWith(".parquet").toString());
    }

    /**
     * The variant where the zombie dies after its late upload: only the new owner's second cleanup helps.
     * <ol>
     *   <li>A (epoch 1) writes its intent for 0..99 and stalls before its upload.</li>
     *   <li>B (epoch 2) opens (deleting nothing: the file is not there yet) and buffers 0..49.</li>
     *   <li>A's upload lands; A dies before it learns it was fenced.</li>
     *   <li>B commits 0..99 (flush size 100) and, after that commit, deletes A's pending names once more.</li>
     * </ol>
     */
    @Test
    void aZombieThatDiesAfterItsLateUploadLeavesNothingBehind() throws Exception {
        S3ParquetSinkTask a = f.start(100);
        CountDownLatch[] upload = f.store.hold(op -> op.startsWith("put topics/"));
        CountDownLatch[] lastWrite = f.store.hold(op -> op.equals("put " + CHECKPOINT)
            && f.store.operations().stream().anyMatch(o -> o.startsWith("put topics/") && o.endsWith("+1.parquet")));
        a.put(records(0, 100));
        assertTrue(upload[0].await(20, TimeUnit.SECONDS));

        S3ParquetSinkTask b = f.start(100);
        b.put(records(0, 50));
        upload[1].countDown();
        assertTrue(lastWrite[0].await(20, TimeUnit.SECONDS), "A's file landed; A is about to learn it is fenced");
        // A dies here: its last checkpoint write never happens.
        b.put(records(50, 100));
        settle(b);
        assertEquals(range(0, 100), f.idsInLake());
        lastWrite[1].countDown();
    }

    /**
     * A commit fails while Connect revokes some partitions cooperatively (the silent loss).
     * <ol>
     *   <li>The task owns partitions 0 and 1 and has buffered 0..99 of each (flush size 1000).</li>
     *   <li>The wall-clock interval passes; S3 refuses every write of partition 1's files.</li>
     *   <li>Connect revokes only partition 1 (CooperativeStickyAssignor): it calls preCommit while closing, then
     *       close(partition 1). Connect rewinds nothing after a commit failure while closing, and partition 0
     *       stays assigned.</li>
     *   <li>Partition 0 goes on receiving 100..199.</li>
     * </ol>
     * Partition 0's 0..199 all land exactly once: its buffered data was never dropped because of partition 1.
     */
    @Test
    void aFailedCommitDuringACooperativeRevocationLosesNothingOfTheKeptPartition() throws Exception {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> f.store, f.time);
        task.initialize(context);
        task.start(SinkFixture.props(1000, Map.of()));
        Map<TopicPartition, List<SinkRecord>> logs = new HashMap<>();
        logs.put(TP, records(0, 0, 200));
        logs.put(P1, records(1, 0, 100));
        ConnectDriver driver = new ConnectDriver(task, context, logs);
        driver.assign(List.of(TP, P1));
        logs.put(TP, records(0, 0, 100));
        driver.poll(100);
        f.time.advance(60_000);
        f.store.failAlways(op -> op.contains("events+1+"), op -> new RetriableStorageException(op, null));

        driver.revoke(List.of(P1));
        logs.put(TP, records(0, 0, 200));
        for (int i = 0; i < 10 && !driver.caughtUp(); i++) {
            driver.poll(50);
        }
        f.time.advance(60_000);
        driver.commit(false);
        settle(task);
        driver.commit(false);

        assertEquals(range(0, 200), f.idsInLake());
        assertEquals(200L, driver.committed.get(TP));
    }

    /**
     * S3 answers 503 SlowDown on a file upload beyond the client's retries.
     * <ol>
     *   <li>The task commits 0..99, then buffers 100..199 and starts its commit; the file upload fails with a
     *       retriable error.</li>
     *   <li>At its next call the task drops everything after offset 100, asks Connect to rewind the partition to
     *       100, and pauses it for a backoff.</li>
     *   <li>S3 recovers; after the backoff the task resumes the partition, Connect delivers 100.. again, and the
     *       commit goes through.</li>
     * </ol>
     * The task never fails and 0..199 are in the lake exactly once.
     */
    @Test
    void aRetriableS3FaultRewindsAndRetriesTheFailedBatchAfterABackoff() throws Exception {
        ConnectDriver driver = drivenTask(records(0, 200));
        FakeSinkTaskContext context = driver.context;
        S3ParquetSinkTask task = driver.task;
        driver.poll(100);
        settle(task);
        failUploadOfTheFileAt100Once();
        driver.poll(100);
        settle(task);
        driver.poll(100);
        assertEquals(List.of(Map.entry(TP, 100L)), context.allRewinds);
        assertTrue(context.paused.contains(TP), "paused for the backoff");
        pollThroughTheBackoff(driver);
        driver.commit(false);
        assertEquals(range(0, 200), f.idsInLake());
        assertEquals(200L, driver.committed.get(TP));
    }

    /**
     * A commit fails while the partition's next batch is open, and the budget must forget that batch's bytes.
     * <ol>
     *   <li>The task commits 0..99 (flush size 100).</li>
     *   <li>One call delivers 100..249: 100..199 is sealed and its upload fails (503, retriable); 200..249 stays in
     *       the open batch, whose bytes the memory budget counts.</li>
     *   <li>At its next call the task drops the open batch with the failed one and rewinds the partition to 100.</li>
     *   <li>After the backoff, Connect delivers 100..249 again: 100..199 commits; 200..249 stays open until the
     *       wall-clock interval passes and {@code preCommit} seals it (no record of the partition follows).</li>
     * </ol>
     * The lake holds 0..249 once and, with nothing open or in flight, the budget counts 0 bytes. Before, the task
     * measured a partition only when records were written to it: the drop forgot the partition's measurement without
     * taking it off the total (12,800 bytes counted for ever, each failure shrinking the memory the task can use), and
     * a batch sealed by the clock kept its last measurement until the partition's next record (another 12,800 here;
     * on a quiet partition, for good), so the budget filled with bytes no file held and forced small files.
     */
    @Test
    void aFailedCommitLeavesNoBytesCountedInTheBudget() throws Exception {
        ConnectDriver driver = drivenTask(records(0, 250));
        FakeSinkTaskContext context = driver.context;
        S3ParquetSinkTask task = driver.task;
        driver.poll(100);
        settle(task);
        failUploadOfTheFileAt100Once();
        driver.poll(150);
        settle(task);
        assertTrue(task.writer().bufferedBytes() > 0, "the open batch 200..249 is counted");
        driver.poll(100);
        assertEquals(List.of(Map.entry(TP, 100L)), context.allRewinds);
        pollThroughTheBackoff(driver);
        f.time.advance(60_000);
        driver.commit(false);
        settle(task);
        assertEquals(range(0, 250), f.idsInLake());
        assertEquals(0, task.writer().bufferedBytes(), "nothing open or in flight");
    }

    /**
     * A batch whose files were spilled to disk fails its commit.
     * <ol>
     *   <li>200 partitions, each with 960 records over 48 event-time hours, are put into a 10 MiB budget: the budget
     *       is reached again and again, and the largest partitions' open files are spilled to the task's spill
     *       folder.</li>
     *   <li>The wall-clock interval passes and every batch is sealed: each file is assembled from its segments and
     *       uploaded; the upload of partition 7's first file fails (503, retriable), so that batch fails.</li>
     *   <li>At its next call the task drops partition 7's batch (its segments were already assembled and deleted;
     *       the assembled files are discarded) and rewinds the partition to offset 0; Connect delivers it again, it is
     *       written and committed.</li>
     * </ol>
     * Every record is in the lake once, each (partition, hour) has one file, and the spill folder is empty.
     */
    @Test
    void aSpilledBatchWhoseCommitFailsIsRewoundAndLandsOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
        throws Exception {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> f.store, f.time);
        task.initialize(context);
        task.start(SinkFixture.props(100_000, Map.of("memory.budget.bytes", Long.toString(10L << 20),
            "s3.part.bytes", Integer.toString(5 << 20), "rotate.wallclock.interval.ms", "60000",
            "spill.dir", dir.toString())));
        Map<TopicPartition, List<SinkRecord>> logs = SinkFixture.backfill(200, 960, 48);
        List<Long> all = logs.values().stream().flatMap(List::stream).map(r -> ((Struct) r.value()).getInt64("id"))
            .sorted().toList();
        ConnectDriver driver = new ConnectDriver(task, context, logs);
        driver.assign(logs.keySet());
        for (int i = 0; i < 40; i++) {
            driver.poll(24);
        }
        settle(task);
        assertTrue(task.spill().segmentsWritten() > 0, "the budget spilled");
        f.store.fail(op -> op.startsWith("put topics/") && op.contains(TOPIC + "+7+00000000000000000000+"),
            op -> new RetriableStorageException("503 SlowDown " + op, null), 1);
        f.time.advance(60_000);
        driver.commit(false);
        settle(task);
        assertTrue(await(() -> {
            f.time.advance(1_000);
            driver.poll(960);
            driver.commit(false);
            settle(task);
            return context.allRewinds.contains(Map.entry(new TopicPartition(TOPIC, 7), 0L))
                && driver.committed.size() == 200 && driver.committed.values().stream().allMatch(o -> o == 960L);
        }), "partition 7 rewound and every partition committed: " + driver.committed);
        assertEquals(all, f.idsInLake());
        assertEquals(0, task.spill().usedBytes());
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(task.spill().dir())) {
            assertEquals(0, left.count());
        }
        task.stop();
    }

    /** A permanent S3 error (access denied) fails the task with the message that says what to fix. */
    @Test
    void aPermanentS3ErrorFailsTheTaskSayingWhatToFix() throws Exception {
        S3ParquetSinkTask task = f.start(10);
        f.store.failAlways(op -> op.startsWith("put topics/"), op -> new StorageException("cannot write " + op
            + ": access denied; the credentials need s3:PutObject", null));
        task.put(records(0, 10));
        settle(task);
        ConnectException e = assertThrows(ConnectException.class, () -> SinkFixture.putAndSettle(task, records(10, 11)));
        assertTrue(e.getMessage().contains("s3:PutObject"), e.getMessage());
    }

    /**
     * A multipart upload of a large file fails on a part: the batch cannot be retried from memory (the parts that
     * went out are released), so it is dropped and read again from Kafka.
     */
    @Test
    void aFailedPartDropsTheBatchAndReadsItAgain() throws Exception {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> f.store, f.time);
        task.initialize(context);
        task.start(SinkFixture.props(20_000, Map.of("s3.part.bytes", Integer.toString(5 * 1024 * 1024),
            "parquet.row.group.bytes", Integer.toString(256 * 1024), "parquet.codec", "uncompressed")));
        List<SinkRecord> big = new ArrayList<>();
        for (long o = 0; o < 20_000; o++) {
            Struct value = new Struct(WIDE).put("id", o).put("event_time", new Date(T0)).put("text",
                "x".repeat(400) + o);
            big.add(new SinkRecord(TOPIC, 0, null, null, WIDE, value, o, T0, TimestampType.CREATE_TIME));
        }
        Map<TopicPartition, List<SinkRecord>> logs = Map.of(TP, big);
        ConnectDriver driver = new ConnectDriver(task, context, logs);
        driver.assign(List.of(TP));
        f.store.fail(op -> op.startsWith("part "), op -> new RetriableStorageException("reset " + op, null), 1);
        for (int i = 0; i < 100 && (driver.committed.getOrDefault(TP, 0L) < 20_000); i++) {
            f.time.advance(100);
            driver.poll(5_000);
            settle(task);
            driver.commit(false);
        }
        assertTrue(f.store.operations().stream().anyMatch(op -> op.startsWith("complete ")), "multipart used");
        assertTrue(f.store.operations().stream().anyMatch(op -> op.startsWith("FAILED part ")), "a part failed");
        assertEquals(List.of(Map.entry(TP, 0L)), context.allRewinds, "nothing was committed yet: rewound to the "
            + "first offset the task read");
        List<Map<String, Object>> rows = ParquetReader.rows(f.store.keysEndingWith(".parquet").stream()
            .map(f.store.objects::get).toList(), "SELECT count(*) AS n, count(DISTINCT id) AS d FROM t");
        assertEquals(Map.of("n", 20_000L, "d", 20_000L), rows.get(0));
        assertTrue(f.store.pendingUploads("").isEmpty(), "the failed upload was aborted");
    }

    private static final org.apache.kafka.connect.data.Schema WIDE = org.apache.kafka.connect.data.SchemaBuilder
        .struct().name("Event").field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
        .field("event_time", org.apache.kafka.connect.data.Timestamp.builder().optional().build())
        .field("text", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();

    /** Multipart uploads a dead owner left open are aborted when the partition is opened again. */
    @Test
    void orphanMultipartUploadsOfThePartitionAreAbortedOnOpen() {
        f.store.startMultipart("topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000+1"
            + ".parquet").uploadPart(new byte[10], 10);
        f.store.startMultipart("topics/events/year=2024/month=08/day=05/hour=10/events+1+00000000000000000000+1"
            + ".parquet").uploadPart(new byte[10], 10);
        f.start(10);
        assertEquals(List.of("topics/events/year=2024/month=08/day=05/hour=10/events+1+00000000000000000000+1"
            + ".parquet"), f.store.pendingUploads("").stream().map(u -> u.key()).toList(),
            "only partition 0's upload is aborted");
    }

    /** Redelivery after a rewind never skips: offsets already handled are skipped, the rest land in order. */
    @Test
    void committedNextNeverMovesBackAcrossManyCommits() throws Exception {
        S3ParquetSinkTask task = f.start(7);
        List<Long> seen = new ArrayList<>();
        for (long o = 0; o < 200; o += 13) {
            task.put(records(o, Math.min(200, o + 13)));
            settle(task);
            OffsetAndMetadata next = task.preCommit(Map.of()).get(TP);
            if (next != null) {
                seen.add(next.offset());
            }
        }
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), seen.toString());
        }
        assertEquals(LongStream.range(0, 196).boxed().toList(), f.idsInLake());
    }
}
