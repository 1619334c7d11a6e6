package io.eventlake.connect.sink.s3.parquet;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A cheap estimate of the heap a record holds while a file keeps it: object headers and references, plus the
 * characters of its strings and the bytes of its byte arrays. Used for the memory budget, not exact.
 */
final class RowSize {

    private static final int RECORD = 160;
    private static final int VALUE = 24;

    private RowSize() {
    }

    static long estimate(SinkRecord record, Struct value) {
        return RECORD + size(value) + (record.key() instanceof String k ? 40 + k.length() : 0);
    }

    private static long size(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String s) {
            return 40 + s.length();
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        if (v instanceof Struct s) {
            long n = 32;
            for (Field f : s.schema().fields()) {
                n += 8 + size(s.getWithoutDefault(f.name()));
            }
            return n;
        }
        if (v instanceof List<?> l) {
            long n = 40;
            for (Object o : l) {
                n += 8 + size(o);
            }
            return n;
        }
        if (v instanceof Map<?, ?> m) {
            long n = 48;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += 40 + size(e.getKey()) + size(e.getValue());
            }
            return n;
        }
        return VALUE;
    }
}
