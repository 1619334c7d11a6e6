package io.eventlake.transforms.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.transforms.util.PluginCounters;

/**
 * A CSV or JSON file held in memory, reloaded when it changes. A watcher thread looks at the file's modification
 * time and size every reload interval; a change is loaded once it has been seen unchanged at two checks in a row,
 * so a file still being written is not read half-way. The new table is built aside and swapped in whole; a file
 * that cannot be read keeps the old table in service, logs a WARN with the reason and is not tried again until it
 * changes once more.
 */
final class FileReferenceData implements ReferenceData {

    private static final Logger log = LoggerFactory.getLogger(FileReferenceData.class);

    /** Modification time and size: what tells one version of the file from another. */
    private record Stamp(long modifiedNanos, long size) {
    }

    private final Path file;
    private final FileFormat format;
    private final String keyColumn;
    private final Columns columns;
    private final int maxEntries;
    private final LongAdder reloads;
    private final LongAdder reloadFailures;

    private volatile Map<String, Object[]> table;
    private Stamp loaded;
    private Stamp seen;
    private Stamp failed;
    private boolean unreadableWarned;
    private ScheduledExecutorService watcher;

    /**
     * Loads the file once.
     * @throws IllegalArgumentException when it cannot be read or is not as described, with the reason
     */
    FileReferenceData(Path file, FileFormat format, String keyColumn, Columns columns, int maxEntries,
                      PluginCounters metrics) {
        this.file = file;
        this.format = format;
        this.keyColumn = keyColumn;
        this.columns = columns;
        this.maxEntries = maxEntries;
        this.reloads = metrics.counter("reloads-total", "Times the reference file was loaded after a change.");
        this.reloadFailures = metrics.counter("reload-failures-total",
            "Changed reference files that could not be loaded (the previous table stayed in service).");
        metrics.gauge("table-entries", "Entries in the lookup table.", this::size);
        try {
            Stamp stamp = stamp();
            Map<String, Object[]> rows = format.read(file, keyColumn, columns.names(), maxEntries);
            columns.resolve(rows.values());
            this.table = convert(rows);
            this.loaded = stamp;
            this.seen = stamp;
        } catch (IOException e) {
            throw new IllegalArgumentException(describe(e));
        }
        log.info("Loaded {} entries from {} ({})", table.size(), file, format.label());
    }

    /** Starts the watcher thread; 0 never reloads. */
    FileReferenceData watch(long intervalMs) {
        if (intervalMs > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "eventlake-enrich-file-" + file.getFileName());
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::checkQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Checking reference file {} failed; will look again", file, e);
        }
    }

    /**
     * One look at the file: loads it if it changed and has stayed as it is since the last look.
     * @return true when a new table was swapped in
     */
    synchronized boolean check() {
        Stamp stamp;
        try {
            stamp = stamp();
        } catch (IOException e) {
            if (!unreadableWarned) {
                log.warn("Reference file {} cannot be read ({}); keeping the {} entries loaded before", file,
                    describe(e), table.size());
                unreadableWarned = true;
            }
            return false;
        }
        unreadableWarned = false;
        if (stamp.equals(loaded) || stamp.equals(failed)) {
            seen = stamp;
            return false;
        }
        if (!stamp.equals(seen)) {
            seen = stamp;
            return false;
        }
        try {
            Map<String, Object[]> rows = format.read(file, keyColumn, columns.names(), maxEntries);
            table = convert(rows);
            loaded = stamp;
            failed = null;
            reloads.increment();
            log.info("Reloaded {} entries from {}", table.size(), file);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            failed = stamp;
            reloadFailures.increment();
            log.warn("Reference file {} changed but cannot be loaded ({}); keeping the {} entries loaded before",
                file, e instanceof IOException io ? describe(io) : e.getMessage(), table.size());
            return false;
        }
    }

    private Map<String, Object[]> convert(Map<String, Object[]> rows) {
        for (Map.Entry<String, Object[]> e : rows.entrySet()) {
            try {
                columns.convert(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("key " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return rows;
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.toString();
    }

    @Override
    public void awaitReady() {
        // Loaded in the constructor.
    }

    @Override
    public Object[] get(String key) {
        return table.get(key);
    }

    @Override
    public boolean loading() {
        return false;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                if (!watcher.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("The watcher of {} did not stop within 10 s", file);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
