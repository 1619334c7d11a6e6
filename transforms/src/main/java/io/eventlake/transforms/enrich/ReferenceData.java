package io.eventlake.transforms.enrich;

/** Reference data held in memory for lookups by key: from a file or a compacted topic. */
interface ReferenceData extends AutoCloseable {

    /**
     * Waits for the first load as configured and fixes the column types; returns at once when that is done.
     * @throws org.apache.kafka.connect.errors.ConnectException when the data cannot be had as configured
     */
    void awaitReady();

    /** The row of a key, its values converted to the column types, or null when the key is unknown. */
    Object[] get(String key);

    /** True while the first load is still under way (the task went on without it). */
    boolean loading();

    /** The fields it holds; their types are fixed once {@link #awaitReady} has returned. */
    Columns columns();

    /** Entries held. */
    int size();

    @Override
    void close();
}
