package io.eventlake.connect.sink.s3.iceberg;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * A table's operations with a check run against the exact metadata each commit attempt replaces. The catalog swaps
 * metadata only if {@code base} is still current, so a check of {@code base} holds at the moment of the swap: when
 * another writer committed meanwhile, the swap fails, Iceberg refreshes and applies the update again, and the check
 * runs again against the new base. This is how a commit refuses offsets that do not follow the table's record.
 */
final class GuardedOperations implements TableOperations {

    private final TableOperations delegate;
    private final AtomicLong conflicts;
    private volatile Consumer<TableMetadata> guard;

    GuardedOperations(TableOperations delegate, AtomicLong conflicts) {
        this.delegate = delegate;
        this.conflicts = conflicts;
    }

    /** The check of the next commits (null for none); set by the table's single committer. */
    void guard(Consumer<TableMetadata> check) {
        this.guard = check;
    }

    @Override
    public TableMetadata current() {
        return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
        return delegate.refresh();
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        Consumer<TableMetadata> check = guard;
        if (check != null) {
            check.accept(base);
        }
        try {
            delegate.commit(base, metadata);
        } catch (CommitFailedException e) {
            conflicts.incrementAndGet();
            throw e;
        }
    }

    @Override
    public FileIO io() {
        return delegate.io();
    }

    @Override
    public EncryptionManager encryption() {
        return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
        return delegate.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
        return delegate.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
        return delegate.newSnapshotId();
    }

    @Override
    public boolean requireStrictCleanup() {
        return delegate.requireStrictCleanup();
    }
}
