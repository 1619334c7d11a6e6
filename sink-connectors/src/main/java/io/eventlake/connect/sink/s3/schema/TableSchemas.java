package io.eventlake.connect.sink.s3.schema;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventlake.connect.sink.s3.parquet.MetadataColumn;
import io.eventlake.connect.sink.s3.parquet.ParquetSchemas;
import io.eventlake.connect.sink.s3.parquet.RowWriter;
import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.PreconditionFailedException;

/**
 * The schema of each topic's lake folder, kept in the bucket beside the checkpoints ({@code <prefix>/<topic>.json})
 * so that every task and every restart compares records with the same reference. A record schema is resolved once
 * per schema instance to either the {@link RowWriter} that lands it (projected onto the folder's schema when the
 * compatibility mode projects) or the reason it may not land in that folder (a column of another type, another
 * record name, a compatibility rule). When a record schema adds fields the folder's schema grows: the union is
 * written back with a conditional write, so two tasks growing it at once both end up with the union.
 */
public final class TableSchemas {

    private static final Logger log = LoggerFactory.getLogger(TableSchemas.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 256;

    private final ObjectStore store;
    private final String prefix;
    private final Compatibility mode;
    private final List<MetadataColumn> metadata;
    private final List<Type> metadataTypes = new ArrayList<>();
    private final Map<String, MetadataColumn> metadataByName = new HashMap<>();
    private final Map<String, Table> tables = new HashMap<>();
    private java.util.function.BiFunction<String, MessageType, MessageType> tableMode;

    public TableSchemas(ObjectStore store, String prefix, Compatibility mode, List<MetadataColumn> metadata,
                        String metadataPrefix) {
        this.store = store;
        this.prefix = prefix;
        this.mode = mode;
        this.metadata = List.copyOf(metadata);
        for (MetadataColumn c : metadata) {
            metadataTypes.add(c.typeWithPrefix(metadataPrefix));
            metadataByName.put(c.columnName(metadataPrefix), c);
        }
    }

    /**
     * Table mode: each accepted file schema (value and metadata columns) also goes through {@code hook}, which
     * brings the topic's table up to it and returns it with the table's field ids, or refuses it with a
     * {@link DataException} that becomes the record's rejection.
     */
    public TableSchemas withTables(java.util.function.BiFunction<String, MessageType, MessageType> hook) {
        this.tableMode = hook;
        return this;
    }

    /** How a record schema lands: the writer for its rows, or why it may not land in the topic's folder. */
    public record Resolution(RowWriter writer, String rejection) {
        public boolean accepted() {
            return writer != null;
        }
    }

    public String key(String topic) {
        return prefix + "/" + topic + ".json";
    }

    public Resolution resolve(String topic, Schema valueSchema) {
        Table table = tables.computeIfAbsent(topic, this::load);
        Resolution cached = table.resolutions.get(valueSchema);
        if (cached != null) {
            return cached;
        }
        Resolution r = resolveNew(topic, table, valueSchema);
        if (table.resolutions.size() >= MAX_CACHED) {
            table.resolutions.clear();
        }
        table.resolutions.put(valueSchema, r);
        return r;
    }

    /** The topic folder's current schema (value columns), if any record landed; for tests and tools. */
    public Optional<MessageType> current(String topic) {
        Table t = tables.computeIfAbsent(topic, this::load);
        return Optional.ofNullable(t.schema);
    }

    private Resolution resolveNew(String topic, Table table, Schema valueSchema) {
        if (valueSchema.type() != Schema.Type.STRUCT) {
            return new Resolution(null, "the value schema is " + valueSchema.type() + ", not a Struct");
        }
        MessageType incoming;
        try {
            incoming = ParquetSchemas.of(valueSchema, List.of());
        } catch (DataException e) {
            return new Resolution(null, e.getMessage());
        }
        for (String name : metadataByName.keySet()) {
            if (incoming.containsField(name)) {
                return new Resolution(null, "the value has a field '" + name + "', which is also a Kafka metadata "
                    + "column (parquet.metadata.columns); rename it or change parquet.metadata.column.prefix");
            }
        }
        for (int attempt = 1; ; attempt++) {
            if (table.schema != null) {
                String name = valueSchema.name();
                if (name != null && table.name != null && !name.equals(table.name)) {
                    return new Resolution(null, "its schema is '" + name + "' but the lake folder of topic '" + topic
                        + "' holds '" + table.name + "' (a foreign schema would break readers of the folder)");
                }
                List<String> problems = mode.problems(table.schema, incoming, tableMode != null);
                if (!problems.isEmpty()) {
                    return new Resolution(null, "its schema does not fit the lake folder of topic '" + topic + "': "
                        + String.join("; ", problems));
                }
            }
            MessageType merged = table.schema == null ? incoming : Compatibility.merge(table.schema, incoming);
            if (!merged.equals(table.schema)) {
                try {
                    save(topic, table, merged, table.name != null ? table.name : valueSchema.name());
                } catch (PreconditionFailedException e) {
                    if (attempt >= 5) {
                        throw new ConnectException("the lake schema " + key(topic) + " keeps changing under this "
                            + "task", e);
                    }
                    Table fresh = load(topic);
                    table.schema = fresh.schema;
                    table.name = fresh.name;
                    table.etag = fresh.etag;
                    table.resolutions.clear();
                    continue;
                }
            }
            MessageType fileValue = mode.projects() ? table.schema : incoming;
            MessageType file = withMetadata(fileValue);
            if (tableMode != null) {
                try {
                    file = tableMode.apply(topic, file);
                } catch (DataException e) {
                    return new Resolution(null, e.getMessage());
                }
            }
            return new Resolution(RowWriter.of(valueSchema, file, metadataByName), null);
        }
    }

    private MessageType withMetadata(MessageType value) {
        if (metadataTypes.isEmpty()) {
            return value;
        }
        List<Type> fields = new ArrayList<>(value.getFields());
        fields.addAll(metadataTypes);
        return new MessageType(value.getName(), fields);
    }

    private void save(String topic, Table table, MessageType schema, String name) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", table.version + 1);
        json.put("name", name);
        json.put("compatibility", mode.name());
        json.put("schema", SchemaJson.toJson(schema));
        byte[] bytes;
        try {
            bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new ConnectException("cannot encode the lake schema of " + topic, e);
        }
        String etag = table.etag == null
            ? store.putIfAbsent(key(topic), () -> new ByteArrayInputStream(bytes), bytes.length)
            : store.putIfMatch(key(topic), () -> new ByteArrayInputStream(bytes), bytes.length, table.etag);
        log.info("Lake schema of topic {} is now version {} ({} columns)", topic, table.version + 1,
            schema.getFieldCount());
        table.schema = schema;
        table.name = name;
        table.etag = etag;
        table.version++;
        // Writers built for the previous version now write a subset of the folder's columns: rebuild them.
        table.resolutions.clear();
    }

    private Table load(String topic) {
        Table t = new Table();
        store.get(key(topic)).ifPresent(object -> {
            try {
                Map<String, Object> json = JSON.readValue(object.bytes(), new TypeReference<Map<String, Object>>() { });
                t.version = ((Number) json.get("version")).longValue();
                t.name = (String) json.get("name");
                @SuppressWarnings("unchecked")
                Map<String, Object> schema = (Map<String, Object>) json.get("schema");
                t.schema = SchemaJson.fromJson(schema);
                t.etag = object.etag();
            } catch (IOException | RuntimeException e) {
                throw new ConnectException("the lake schema " + key(topic) + " is not readable (" + e.getMessage()
                    + "); fix or remove it", e);
            }
        });
        return t;
    }

    private static final class Table {
        MessageType schema;
        String name;
        String etag;
        long version;
        final Map<Schema, Resolution> resolutions = new IdentityHashMap<>();
    }

    /** The metadata columns every file of this sink carries, in order. */
    public List<MetadataColumn> metadataColumns() {
        return metadata;
    }
}
