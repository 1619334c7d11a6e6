package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.commit.PartitionLease;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

/**
 * Takes ownership of newly assigned partitions: their leases (checkpoints in the lake, or the tables' own record in
 * table mode), which fence older owners and clean what they left, and the multipart uploads earlier owners left
 * unfinished.
 */
final class PartitionOpener {

    private static final Logger log = LoggerFactory.getLogger(PartitionOpener.class);

    /** Partitions whose checkpoints are taken over at once when a rebalance assigns many. */
    static final int OPEN_CONCURRENCY = 32;

    private final WriterSettings settings;
    private final CheckpointStore checkpoints;
    private final String topicsDir;

    PartitionOpener(WriterSettings settings, CheckpointStore checkpoints, String topicsDir) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.topicsDir = topicsDir;
    }

    /** The partitions' leases; every partition has one, or this throws. */
    Map<TopicPartition, ? extends Lease> leases(Collection<TopicPartition> partitions) {
        return settings.tables() != null ? settings.tables().open(partitions) : acquireAll(partitions);
    }

    /**
     * Takes over the partitions' checkpoints, up to {@link #OPEN_CONCURRENCY} at once: each is a few S3 round trips,
     * so thousands of partitions opened one after another would hold the rebalance for minutes. Every acquisition
     * finishes before the first failure, if any, is thrown.
     */
    private Map<TopicPartition, PartitionLease> acquireAll(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionLease> leases = new HashMap<>();
        if (partitions.size() <= 1) {
            for (TopicPartition tp : partitions) {
                leases.put(tp, PartitionLease.acquire(checkpoints, settings.store(), tp));
            }
            return leases;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(OPEN_CONCURRENCY, partitions.size()), r -> {
            Thread t = new Thread(r, "eventlake-open");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<TopicPartition, CompletableFuture<PartitionLease>> pending = new HashMap<>();
            for (TopicPartition tp : partitions) {
                pending.put(tp, CompletableFuture.supplyAsync(
                    () -> PartitionLease.acquire(checkpoints, settings.store(), tp), pool));
            }
            RuntimeException first = null;
            for (Map.Entry<TopicPartition, CompletableFuture<PartitionLease>> e : pending.entrySet()) {
                try {
                    leases.put(e.getKey(), e.getValue().join());
                } catch (CompletionException failed) {
                    if (first == null) {
                        first = failed.getCause() instanceof RuntimeException r ? r
                            : new ConnectException(failed.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return leases;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Multipart uploads a previous owner started and never finished cost storage until aborted. */
    void abortOrphanUploads(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            patterns.add(settings.names().ofPartition(tp.topic(), tp.partition()));
        }
        for (ObjectStore.PendingUpload u : settings.store().pendingUploads(topicsDir + "/")) {
            String name = u.key().substring(u.key().lastIndexOf('/') + 1);
            if (patterns.stream().anyMatch(p -> p.matcher(name).matches())) {
                log.info("Aborting multipart upload of {} left by an earlier owner", u.key());
                settings.store().abortUpload(u);
            }
        }
    }
}
