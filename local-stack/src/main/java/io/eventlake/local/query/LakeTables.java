package io.eventlake.local.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.io.CloseableIterable;

import io.eventlake.local.stack.EmbeddedCatalog;

/**
 * The committed files of a local lake's Iceberg tables: each table's current snapshot, read through the stack's REST
 * catalog while it runs, or from the catalog database directly when it does not. Files are the local paths the
 * embedded S3 server keeps them at.
 */
public final class LakeTables {

    private LakeTables() {
    }

    /**
     * The data files of every table's current snapshot in {@code namespace}, by the topic whose folder holds the
     * table's data; empty when the lake has no catalog (a lake of bare Parquet files).
     */
    public static Optional<Map<String, List<Path>>> committedFiles(Path lakeDir, String namespace) throws IOException {
        Path dir = EmbeddedCatalog.dir(lakeDir);
        if (!Files.exists(dir.resolve(EmbeddedCatalog.NAME + ".mv.db"))) {
            return Optional.empty();
        }
        Map<String, String> io = new HashMap<>();
        io.put("io-impl", LocalLakeFileIO.class.getName());
        io.put(LocalLakeFileIO.LAKE_DIR, lakeDir.toAbsolutePath().toString());
        Catalog catalog = open(dir, io);
        try {
            Map<String, List<Path>> byTopic = new TreeMap<>();
            List<TableIdentifier> ids;
            try {
                ids = catalog.listTables(Namespace.of(namespace.split("\\.")));
            } catch (NoSuchNamespaceException none) {
                ids = List.of();
            }
            for (TableIdentifier id : ids) {
                Table table = catalog.loadTable(id);
                if (table.currentSnapshot() == null) {
                    continue;
                }
                List<Path> files = new ArrayList<>();
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    for (FileScanTask t : tasks) {
                        files.add(LocalLakeFileIO.localPath(lakeDir.toAbsolutePath(), t.file().location()));
                    }
                }
                String dataPath = table.properties().getOrDefault("write.data.path", id.name());
                byTopic.put(dataPath.substring(dataPath.lastIndexOf('/') + 1), files);
            }
            return Optional.of(byTopic);
        } finally {
            if (catalog instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // read-only; nothing to lose
                }
            }
        }
    }

    /** Through the running stack's REST catalog if it answers, else the database file (one process at a time). */
    private static Catalog open(Path dir, Map<String, String> io) throws IOException {
        Path uriFile = dir.resolve(EmbeddedCatalog.URI_FILE);
        if (Files.exists(uriFile)) {
            String uri = Files.readString(uriFile).trim();
            if (answers(uri)) {
                Map<String, String> p = new HashMap<>(io);
                p.put("type", "rest");
                p.put("uri", uri);
                return CatalogUtil.buildIcebergCatalog(EmbeddedCatalog.NAME, p, null);
            }
        }
        return EmbeddedCatalog.open(dir, io);
    }

    private static boolean answers(String uri) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(uri + "/v1/config"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
