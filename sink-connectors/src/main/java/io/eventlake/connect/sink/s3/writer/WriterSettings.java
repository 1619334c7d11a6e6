package io.eventlake.connect.sink.s3.writer;

import java.util.concurrent.Executor;

import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.parquet.SpillDisk;
import io.eventlake.connect.sink.s3.rotation.RotationPolicy;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

/**
 * What every partition writer of a task shares: the store, names, file settings, rotation, budget, spill folder, pools,
 * and in
 * table mode the tables ({@code tables} is null for bare Parquet).
 */
public record WriterSettings(ObjectStore store, FileNames names, ParquetFile.Options parquet, RotationPolicy rotation,
                             MemoryBudget budget, SpillDisk spill, Executor commitPool, Executor uploadPool,
                             TableMode tables) {
}
