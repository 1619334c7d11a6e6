package io.eventlake.connect.sink.s3;

import static io.eventlake.connect.sink.s3.SinkFixture.await;
import static io.eventlake.connect.sink.s3.SinkFixture.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The memory budget when S3 is slower than the input, each scenario as the exact sequence of events in its Javadoc,
 * with Connect modelled by {@link ConnectDriver} (it honours the task's pauses).
 */
class MemoryPressureScenariosTest {

    private static final int PARTITIONS = 200;
    private static final int HOURS = 48;
    private static final long BUDGET = 10L << 20;

    private final SinkFixture f = new SinkFixture();

    /**
     * S3 stalls while a backfill fills the memory budget, spilling off.
     * <ol>
     *   <li>200 partitions, each with 480 records over 48 event-time hours (ten per hour), are delivered as Connect
     *       does, 24 records of each unpaused partition per poll, into a 4 MiB budget (spill.max.bytes=0,
     *       memory.budget.wait.ms=200). Every upload of a data file blocks: S3 stalls.</li>
     *   <li>Open files pass the budget: the task commits the largest partition's batch early; its upload blocks. The
     *       open files fit again and the bytes waiting for S3 fill the rest, so the task waits for uploads, 200 ms,
     *       then pauses every partition; Connect delivers nothing more.</li>
     *   <li>S3 recovers: the uploads finish, the task resumes consumption and the rest is delivered.</li>
     *   <li>The wall-clock interval passes and every batch commits.</li>
     * </ol>
     * While S3 stalled, the task's memory stayed within the budget plus the batches Connect had delivered, and it
     * committed early only what the budget needed: at the end every record is in the lake once, in at most one file per
     * (partition, hour) beyond the first file of the few batches the budget committed early. Before, the task committed
     * every partition's batch early whenever the bytes waiting for S3 filled the budget (sealing moves bytes from open
     * files to uploads, freeing nothing while S3 stalls), and each of those small files held a 4 KiB buffer for a few
     * hundred bytes: the bytes waiting for S3 rose past the budget, and the lake got a small file per folder each time.
     */
    @Test
    void aStalledS3PausesConsumptionInsteadOfCommittingEveryBatchEarly() throws Exception {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> f.store, f.time);
        task.initialize(context);
        task.start(SinkFixture.props(100_000, Map.of("memory.budget.bytes", Long.toString(BUDGET),
            "s3.part.bytes", Integer.toString(5 << 20), "memory.budget.wait.ms", "200", "spill.max.bytes", "0",
            "rotate.wallclock.interval.ms", "60000")));
        Map<TopicPartition, List<SinkRecord>> logs = SinkFixture.backfill(PARTITIONS, 480, HOURS);
        List<TopicPartition> partitions = List.copyOf(logs.keySet());
        long total = PARTITIONS * 480L;
        int folders = PARTITIONS * HOURS;
        ConnectDriver driver = new ConnectDriver(task, context, logs);
        driver.assign(partitions);

        CountDownLatch s3 = f.store.gate(op -> op.startsWith("put topics/"));
        assertTrue(await(() -> {
            driver.poll(24);
            return context.paused.containsAll(partitions);
        }), "paused while S3 stalls");
        assertTrue(f.store.waitingAtGates() > 0, "uploads blocked");
        long stalledHighWater = task.writer().memoryHighWaterBytes();
        assertTrue(stalledHighWater <= BUDGET + BUDGET / 2, "high water " + stalledHighWater + " for a budget of "
            + BUDGET + " while S3 stalled");

        s3.countDown();
        assertTrue(await(() -> {
            driver.poll(24);
            settle(task);
            return driver.caughtUp() && context.paused.isEmpty();
        }), "resumed and caught up once S3 answers");
        f.time.advance(60_000);
        driver.commit(false);
        settle(task);

        List<String> files = f.store.keysEndingWith(".parquet");
        assertTrue(files.size() <= 2 * folders, files.size() + " files for " + folders + " folders");
        List<Map<String, Object>> rows = ParquetReader.rows(files.stream().map(f.store.objects::get).toList(),
            "SELECT count(*) AS n, count(DISTINCT id) AS d FROM t");
        assertEquals(Map.of("n", total, "d", total), rows.get(0));
        task.stop();
    }
}
