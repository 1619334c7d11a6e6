package io.eventlake.connect.sink.s3.iceberg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.PreconditionFailedException;

/**
 * The Iceberg FileIO of table mode: table metadata (metadata JSON, manifest lists, manifests) goes through the same
 * S3 client as the data files, with the connector's s3.* and aws.* settings (credentials, role, encryption,
 * retries). The sink's task registers its store and passes its id as the catalog property {@link #STORE}; catalogs
 * create this class by name ({@code io-impl}). Metadata files are small: reads take the whole object, writes buffer
 * it and put it on close, only if absent for {@code create()}. Iceberg's S3FileIO would need the KMS SDK and its
 * AWS module (1.8 MB more in the plugin zip); a user who adds them may still name it in
 * {@code iceberg.catalog.io-impl}.
 */
public final class SinkFileIO implements FileIO {

    private static final long serialVersionUID = 1L;
    /** The catalog property with the id of the registered stores. */
    public static final String STORE = "eventlake.store-id";
    private static final Map<String, Function<String, ObjectStore>> REGISTERED = new ConcurrentHashMap<>();

    private transient Function<String, ObjectStore> stores;
    private Map<String, String> properties = Map.of();

    /** Registers a task's stores (by bucket); returns the id to pass as {@link #STORE}. */
    public static String register(Function<String, ObjectStore> storesByBucket) {
        String id = UUID.randomUUID().toString();
        REGISTERED.put(id, storesByBucket);
        return id;
    }

    public static void unregister(String id) {
        REGISTERED.remove(id);
    }

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
        String id = props.get(STORE);
        this.stores = id == null ? null : REGISTERED.get(id);
        if (stores == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is the eventlake sink's own FileIO; it "
                + "works only inside the sink (no store registered as '" + id + "')");
        }
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    private record Location(String bucket, String key) {
        static Location of(String location) {
            int scheme = location.indexOf("://");
            if (scheme < 0) {
                throw new IllegalArgumentException("not an s3:// location: " + location);
            }
            String rest = location.substring(scheme + 3);
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("no key in location " + location);
            }
            return new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    @Override
    public InputFile newInputFile(String path) {
        Location l = Location.of(path);
        return new In(path, stores.apply(l.bucket()), l.key(), -1);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
        Location l = Location.of(path);
        return new In(path, stores.apply(l.bucket()), l.key(), length);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        Location l = Location.of(path);
        return new Out(path, stores.apply(l.bucket()), l.key());
    }

    @Override
    public void deleteFile(String path) {
        Location l = Location.of(path);
        stores.apply(l.bucket()).delete(l.key());
    }

    private static final class In implements InputFile {
        private final String location;
        private final ObjectStore store;
        private final String key;
        private long length;

        In(String location, ObjectStore store, String key, long length) {
            this.location = location;
            this.store = store;
            this.key = key;
            this.length = length;
        }

        @Override
        public long getLength() {
            if (length < 0) {
                length = store.head(key).orElseThrow(() -> new NotFoundException("no such file: %s", location));
            }
            return length;
        }

        @Override
        public SeekableInputStream newStream() {
            Optional<ObjectStore.StoredObject> o = store.get(key);
            if (o.isEmpty()) {
                throw new NotFoundException("no such file: %s", location);
            }
            return new BytesIn(o.get().bytes());
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public boolean exists() {
            return store.head(key).isPresent();
        }
    }

    private static final class BytesIn extends SeekableInputStream {
        private final byte[] bytes;
        private int pos;

        BytesIn(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > bytes.length) {
                throw new IOException("seek to " + newPos + " outside 0.." + bytes.length);
            }
            pos = (int) newPos;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class Out implements OutputFile {
        private final String location;
        private final ObjectStore store;
        private final String key;

        Out(String location, ObjectStore store, String key) {
            this.location = location;
            this.store = store;
            this.key = key;
        }

        @Override
        public PositionOutputStream create() {
            return new BytesOut(bytes -> {
                try {
                    store.putIfAbsent(key, () -> new ByteArrayInputStream(bytes), bytes.length);
                } catch (PreconditionFailedException e) {
                    throw new AlreadyExistsException("file already exists: %s", location);
                }
            });
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            return new BytesOut(bytes -> {
                for (int attempt = 1; ; attempt++) {
                    Optional<ObjectStore.StoredObject> existing = store.get(key);
                    try {
                        if (existing.isEmpty()) {
                            store.putIfAbsent(key, () -> new ByteArrayInputStream(bytes), bytes.length);
                        } else {
                            store.putIfMatch(key, () -> new ByteArrayInputStream(bytes), bytes.length,
                                existing.get().etag());
                        }
                        return;
                    } catch (PreconditionFailedException raced) {
                        if (attempt >= 3) {
                            throw raced;
                        }
                    }
                }
            });
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public InputFile toInputFile() {
            return new In(location, store, key, -1);
        }
    }

    private static final class BytesOut extends PositionOutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final java.util.function.Consumer<byte[]> onClose;
        private boolean closed;

        BytesOut(java.util.function.Consumer<byte[]> onClose) {
            this.onClose = onClose;
        }

        @Override
        public long getPos() {
            return buffer.size();
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                onClose.accept(buffer.toByteArray());
            }
        }
    }
}
