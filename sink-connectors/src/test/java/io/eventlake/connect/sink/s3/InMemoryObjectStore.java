package io.eventlake.connect.sink.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.connect.errors.ConnectException;

import io.eventlake.connect.sink.s3.storage.ObjectStore;

/** An object store in a map that records each operation and can be told to fail, to test crash recovery. */
public final class InMemoryObjectStore implements ObjectStore {

    public final Map<String, byte[]> objects = new TreeMap<>();
    public final List<String> operations = new ArrayList<>();
    private Predicate<String> failPutOf = key -> false;

    /** Every later put of a key matching this fails, as if the worker died during the upload. */
    public void failPuts(Predicate<String> keys) {
        this.failPutOf = keys;
    }

    @Override
    public synchronized void put(String key, Supplier<InputStream> content, long length) {
        if (failPutOf.test(key)) {
            throw new ConnectException("injected failure writing " + key);
        }
        try (InputStream in = content.get()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != length) {
                throw new IllegalStateException("length " + length + " but " + bytes.length + " bytes for " + key);
            }
            objects.put(key, bytes);
            operations.add("put " + key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
        operations.add("delete " + key);
    }

    public List<String> keysEndingWith(String suffix) {
        return objects.keySet().stream().filter(k -> k.endsWith(suffix)).toList();
    }

    @Override
    public void close() {
    }
}
