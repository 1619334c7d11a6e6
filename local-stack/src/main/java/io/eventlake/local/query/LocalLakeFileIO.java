package io.eventlake.local.query;

import java.nio.file.Path;
import java.util.Map;

import org.apache.iceberg.Files;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Reads a local lake's tables without its S3 server: {@code s3://<bucket>/<key>} is the file {@code <key>} under
 * {@code <lake>/<bucket>}, as the embedded S3 server keeps it. Read-only: {@code ./eventlake query} never writes.
 */
public final class LocalLakeFileIO implements FileIO {

    private static final long serialVersionUID = 1L;
    /** The catalog property naming the lake folder. */
    public static final String LAKE_DIR = "eventlake.lake-dir";

    private String lakeDir;
    private Map<String, String> properties = Map.of();

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
        this.lakeDir = props.get(LAKE_DIR);
        if (lakeDir == null) {
            throw new IllegalArgumentException(LAKE_DIR + " is not set");
        }
    }

    /** The local file of an {@code s3://bucket/key} location. */
    public static Path localPath(Path lake, String location) {
        if (!location.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        return lake.resolve(location.substring("s3://".length()));
    }

    @Override
    public InputFile newInputFile(String path) {
        return Files.localInput(localPath(Path.of(lakeDir), path).toFile());
    }

    @Override
    public OutputFile newOutputFile(String path) {
        throw new UnsupportedOperationException("the local lake is read-only here: " + path);
    }

    @Override
    public void deleteFile(String path) {
        throw new UnsupportedOperationException("the local lake is read-only here: " + path);
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }
}
