package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/** Compares what landed in the lake with the records of the topic, field by field, record by record. */
final class LakeRecords {

    private LakeRecords() {
    }

    /**
     * Every record of the topic is one row of the lake with the same value in every top-level field, and the lake
     * holds nothing else.
     * @param idField the field that identifies a record (unique in the topic)
     */
    static void assertLandedOnce(Path bucketDir, String topic, String idField, List<Struct> records)
        throws Exception {
        assertTrue(!records.isEmpty(), "no records in " + topic);
        Map<String, Struct> byId = new HashMap<>();
        for (Struct r : records) {
            assertEquals(null, byId.put(r.getString(idField), r), "id repeated in the topic: " + r);
        }
        Schema schema = records.get(0).schema();
        List<String> columns = new ArrayList<>();
        for (Field f : schema.fields()) {
            String logical = f.schema().name();
            columns.add(Timestamp.LOGICAL_NAME.equals(logical) ? "epoch_ms(" + f.name() + ") AS " + f.name()
                : org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)
                    ? "epoch_ms(" + f.name() + "::TIMESTAMP) AS " + f.name() : f.name());
        }
        List<Map<String, Object>> rows = Lake.query(bucketDir, topic, "SELECT " + String.join(", ", columns)
            + " FROM lake");
        assertEquals(records.size(), rows.size(), "rows in the lake for " + records.size() + " records");
        for (Map<String, Object> row : rows) {
            Struct expected = byId.remove((String) row.get(idField));
            assertNotNull(expected, "row not in the topic, or landed twice: " + row);
            for (Field f : schema.fields()) {
                assertSameValue(expected.get(f), row.get(f.name()), topic + " " + expected.get(idField) + " "
                    + f.name());
            }
        }
        assertTrue(byId.isEmpty(), byId.size() + " records of the topic are missing from the lake");
    }

    private static void assertSameValue(Object expected, Object actual, String what) throws Exception {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
        } else if (expected instanceof Date d) {
            assertEquals(d.getTime(), ((Number) actual).longValue(), what);
        } else if (expected instanceof BigDecimal b) {
            assertEquals(0, b.compareTo((BigDecimal) actual), what + ": " + b + " vs " + actual);
        } else if (expected instanceof Double || expected instanceof Float) {
            assertEquals(((Number) expected).doubleValue(), ((Number) actual).doubleValue(), what);
        } else if (expected instanceof Number n) {
            assertEquals(n.longValue(), ((Number) actual).longValue(), what);
        } else if (expected instanceof List<?> list) {
            assertEquals(list, Arrays.asList((Object[]) ((Array) actual).getArray()), what);
        } else {
            assertEquals(expected, actual, what);
        }
    }
}
