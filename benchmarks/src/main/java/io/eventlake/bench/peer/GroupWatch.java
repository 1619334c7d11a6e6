package io.eventlake.bench.peer;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The completion watcher of the peer harness's null-sink round: polls a sink connector's consumer group every 100 ms
 * until its committed offsets sum to N and prints the time from {@code T0_MS} (the connector's POST), as the
 * harness's other watchers print theirs ("start->last-commit="). Connect commits a sink's offsets every
 * {@code offset.flush.interval.ms}, so the time is late by up to that interval.
 * {@code java ... GroupWatch BOOTSTRAP GROUP N T0_MS TIMEOUT_S}
 */
public final class GroupWatch {

    private GroupWatch() {
    }

    public static void main(String[] args) throws Exception {
        String group = args[1];
        long n = Long.parseLong(args[2]);
        long t0 = Long.parseLong(args[3]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[4]) * 1000;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            long sum = 0;
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
                sum = offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
                if (sum >= n) {
                    double seconds = (System.currentTimeMillis() - t0) / 1000.0;
                    System.out.printf(Locale.ROOT, "group %s committed %d start->last-commit=%.2f rec/s=%.0f%n",
                        group, sum, seconds, n / seconds);
                    return;
                }
                Thread.sleep(100);
            }
            System.out.println("group " + group + " committed " + sum + " of " + n + ": TIMEOUT");
        }
    }
}
