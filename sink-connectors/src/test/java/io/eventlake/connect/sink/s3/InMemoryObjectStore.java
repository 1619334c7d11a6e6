package io.eventlake.connect.sink.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.eventlake.connect.sink.s3.storage.MultipartUpload;
import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.PreconditionFailedException;

/**
 * An object store in a map with S3's conditional-write semantics (ETags, If-Match, If-None-Match, multipart uploads
 * visible only once complete). It records each operation as {@code "<op> <key>"} and can be told to fail or to
 * hold an operation, to test crashes, faults and races.
 */
public class InMemoryObjectStore implements ObjectStore {

    public final Map<String, byte[]> objects = new TreeMap<>();
    private final Map<String, String> etags = new TreeMap<>();
    private final Map<String, Upload> uploads = new TreeMap<>();
    public final List<String> operations = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Hold> holds = new ArrayList<>();
    private final List<Gate> gates = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int uploadIds;

    private record Fault(Predicate<String> operation, Function<String, RuntimeException> error, int[] left) {
    }

    private record Hold(Predicate<String> operation, CountDownLatch reached, CountDownLatch release) {
    }

    private record Gate(Predicate<String> operation, CountDownLatch open, java.util.concurrent.atomic.AtomicInteger
        waiting) {
    }

    /**
     * Every operation matching blocks until the returned latch is counted down (S3 stalls); unlike
     * {@link #hold(Predicate)}, not only the first. {@link #waitingAtGates()} counts the operations blocked.
     */
    public CountDownLatch gate(Predicate<String> operation) {
        Gate g = new Gate(operation, new CountDownLatch(1), new java.util.concurrent.atomic.AtomicInteger());
        gates.add(g);
        return g.open();
    }

    /** Operations blocked at a gate right now. */
    public int waitingAtGates() {
        return gates.stream().mapToInt(g -> g.waiting().get()).sum();
    }

    /** The next {@code times} operations matching {@code operation} (e.g. "put topics/...") fail with the error. */
    public synchronized void fail(Predicate<String> operation, Function<String, RuntimeException> error, int times) {
        faults.add(new Fault(operation, error, new int[] {times}));
    }

    /** Every later operation matching fails, until {@link #heal()}. */
    public synchronized void failAlways(Predicate<String> operation, Function<String, RuntimeException> error) {
        fail(operation, error, Integer.MAX_VALUE);
    }

    public synchronized void heal() {
        faults.clear();
    }

    /**
     * The first operation matching blocks before it runs until {@code release} is counted down; {@code reached} is
     * counted down when it gets there. For races: a stalled writer (a zombie).
     */
    public synchronized CountDownLatch[] hold(Predicate<String> operation) {
        Hold h = new Hold(operation, new CountDownLatch(1), new CountDownLatch(1));
        holds.add(h);
        return new CountDownLatch[] {h.reached(), h.release()};
    }

    private void before(String op) {
        Hold hold = null;
        synchronized (this) {
            for (Fault f : faults) {
                if (f.left()[0] > 0 && f.operation().test(op)) {
                    f.left()[0]--;
                    operations.add("FAILED " + op);
                    throw f.error().apply(op);
                }
            }
            for (Hold h : holds) {
                if (h.operation().test(op)) {
                    hold = h;
                }
            }
            if (hold != null) {
                holds.remove(hold);
            }
        }
        List<Gate> closed = gates.stream().filter(g -> g.open().getCount() > 0 && g.operation().test(op)).toList();
        for (Gate g : closed) {
            g.waiting().incrementAndGet();
            try {
                awaitLatch(g.open(), "gate never opened: " + op);
            } finally {
                g.waiting().decrementAndGet();
            }
        }
        if (hold != null) {
            hold.reached().countDown();
            awaitLatch(hold.release(), "held operation never released: " + op);
        }
    }

    private static void awaitLatch(CountDownLatch latch, String never) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(never);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Supplier<InputStream> content, long length, String key) {
        try (InputStream in = content.get()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != length) {
                throw new IllegalStateException("length " + length + " but " + bytes.length + " bytes for " + key);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String store(String key, byte[] bytes) {
        String etag = etag(bytes) + "-" + operations.size();
        objects.put(key, bytes);
        etags.put(key, etag);
        return etag;
    }

    @Override
    public String putIfAbsent(String key, Supplier<InputStream> content, long length) {
        before("put " + key);
        byte[] bytes = read(content, length, key);
        synchronized (this) {
            if (objects.containsKey(key)) {
                operations.add("PRECONDITION put " + key);
                throw new PreconditionFailedException("exists: " + key, null);
            }
            operations.add("put " + key);
            return store(key, bytes);
        }
    }

    @Override
    public String putIfMatch(String key, Supplier<InputStream> content, long length, String etag) {
        before("put " + key);
        byte[] bytes = read(content, length, key);
        synchronized (this) {
            if (!objects.containsKey(key) || !etags.get(key).equals(etag)) {
                operations.add("PRECONDITION put " + key);
                throw new PreconditionFailedException("etag mismatch: " + key, null);
            }
            operations.add("put " + key);
            return store(key, bytes);
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        before("get " + key);
        synchronized (this) {
            byte[] bytes = objects.get(key);
            return bytes == null ? Optional.empty() : Optional.of(new StoredObject(bytes, etags.get(key)));
        }
    }

    @Override
    public Optional<Long> head(String key) {
        before("head " + key);
        synchronized (this) {
            byte[] bytes = objects.get(key);
            return bytes == null ? Optional.empty() : Optional.of((long) bytes.length);
        }
    }

    @Override
    public void delete(String key) {
        before("delete " + key);
        synchronized (this) {
            objects.remove(key);
            etags.remove(key);
            operations.add("delete " + key);
        }
    }

    @Override
    public synchronized MultipartUpload startMultipart(String key) {
        before("start " + key);
        String id = "u" + (++uploadIds);
        Upload u = new Upload(key, id);
        uploads.put(id, u);
        operations.add("start " + key);
        return u;
    }

    @Override
    public synchronized List<PendingUpload> pendingUploads(String prefix) {
        return uploads.values().stream().filter(u -> u.key.startsWith(prefix))
            .map(u -> new PendingUpload(u.key, u.id)).toList();
    }

    @Override
    public synchronized void abortUpload(PendingUpload upload) {
        if (uploads.remove(upload.uploadId()) != null) {
            operations.add("abort " + upload.key());
        }
    }

    public List<String> keysEndingWith(String suffix) {
        synchronized (this) {
            return objects.keySet().stream().filter(k -> k.endsWith(suffix)).toList();
        }
    }

    public synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public void close() {
    }

    private final class Upload implements MultipartUpload {
        final String key;
        final String id;
        final ByteArrayOutputStream parts = new ByteArrayOutputStream();
        int count;

        Upload(String key, String id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String uploadId() {
            return id;
        }

        @Override
        public void uploadPart(byte[] bytes, int length) {
            before("part " + key);
            synchronized (InMemoryObjectStore.this) {
                if (!uploads.containsKey(id)) {
                    throw new IllegalStateException("no such upload " + id);
                }
                parts.write(bytes, 0, length);
                count++;
                operations.add("part " + key + "#" + count);
            }
        }

        @Override
        public String completeIfAbsent() {
            before("complete " + key);
            synchronized (InMemoryObjectStore.this) {
                if (uploads.remove(id) == null) {
                    throw new IllegalStateException("no such upload " + id);
                }
                if (objects.containsKey(key)) {
                    operations.add("PRECONDITION complete " + key);
                    throw new PreconditionFailedException("exists: " + key, null);
                }
                operations.add("complete " + key);
                return store(key, parts.toByteArray());
            }
        }

        @Override
        public void abort() {
            abortUpload(new PendingUpload(key, id));
        }
    }
}
