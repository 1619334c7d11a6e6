package io.eventlake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.transforms.enrich.Enrich;

/**
 * Heap held by Enrich's lookup table, per entry: loads CSV tables of 100,000 and 1,000,000 users (key
 * {@code user-<n>}, three fields: a short string, a number, a two-letter code) and compares the live heap after a
 * full GC before and after. Run with a fixed heap so the figure is not lost in resizing:
 * {@code java -Xms2g -Xmx2g -cp ... io.eventlake.bench.LookupTableMemory}. A topic table holds the same rows in a
 * ConcurrentHashMap, whose nodes are the same size as HashMap's.
 */
public final class LookupTableMemory {

    private LookupTableMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("eventlake-lookup-memory");
        try {
            for (int entries : new int[] {100_000, 1_000_000}) {
                Path file = write(dir, entries);
                long before = liveHeap();
                Enrich<SinkRecord> enrich = new Enrich.Value<>();
                enrich.configure(Map.of("lookup.source", "file", "lookup.file.path", file.toString(),
                    "lookup.key.field", "user_id", "lookup.fields", "tier,credit_limit,country",
                    "lookup.file.reload.interval.ms", "0", "lookup.max.entries", Integer.toString(entries)));
                long after = liveHeap();
                System.out.printf("%,10d entries: %,6.1f MiB, %,5.0f bytes per entry (file %,d bytes, %.0f per row)%n",
                    entries, (after - before) / 1048576.0, (after - before) / (double) entries, Files.size(file),
                    Files.size(file) / (double) entries);
                enrich.close();
                Files.delete(file);
            }
        } finally {
            Files.delete(dir);
        }
    }

    private static Path write(Path dir, int entries) throws IOException {
        Path file = dir.resolve("users-" + entries + ".csv");
        List<String> lines = new ArrayList<>(entries + 1);
        lines.add("user_id,tier,credit_limit,country");
        for (int u = 0; u < entries; u++) {
            lines.add("user-" + u + "," + (u % 3 == 0 ? "gold" : "silver") + "," + (u * 10) + ".5,"
                + (u % 2 == 0 ? "FR" : "DE"));
        }
        Files.write(file, lines);
        return file;
    }

    private static long liveHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
