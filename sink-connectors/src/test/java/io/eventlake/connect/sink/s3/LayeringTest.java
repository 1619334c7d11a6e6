package io.eventlake.connect.sink.s3;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The sink's packages depend on each other in one direction only: the connector and task at the top, the writer
 * below them, then commit, schema and the file format, with storage at the bottom. A class that reaches up (say,
 * storage using the connector's config) fails this test.
 */
class LayeringTest {

    private static final String ROOT = "io.eventlake.connect.sink.s3";

    @Test
    void packagesDependOnlyDownwards() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
        layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Connector").definedBy(ROOT)
            .layer("Config").definedBy(ROOT + ".config..")
            .layer("Iceberg").definedBy(ROOT + ".iceberg..")
            .layer("Metrics").definedBy(ROOT + ".metrics..")
            .layer("Writer").definedBy(ROOT + ".writer..")
            .layer("Commit").definedBy(ROOT + ".commit..")
            .layer("Schema").definedBy(ROOT + ".schema..")
            .layer("Partition").definedBy(ROOT + ".partition..")
            .layer("Rotation").definedBy(ROOT + ".rotation..")
            .layer("Parquet").definedBy(ROOT + ".parquet..")
            .layer("Storage").definedBy(ROOT + ".storage..")
            .whereLayer("Connector").mayNotBeAccessedByAnyLayer()
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Connector")
            .whereLayer("Iceberg").mayOnlyBeAccessedByLayers("Connector", "Config")
            .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Connector")
            .whereLayer("Writer").mayOnlyBeAccessedByLayers("Connector", "Config", "Iceberg", "Metrics")
            .whereLayer("Commit").mayOnlyBeAccessedByLayers("Connector", "Iceberg", "Writer")
            .whereLayer("Schema").mayOnlyBeAccessedByLayers("Connector", "Config", "Writer")
            .whereLayer("Partition").mayOnlyBeAccessedByLayers("Connector", "Config", "Iceberg", "Writer")
            .whereLayer("Rotation").mayOnlyBeAccessedByLayers("Connector", "Config", "Writer")
            .whereLayer("Parquet")
                .mayOnlyBeAccessedByLayers("Connector", "Config", "Iceberg", "Writer", "Commit", "Schema")
            .whereLayer("Storage")
                .mayOnlyBeAccessedByLayers("Connector", "Config", "Iceberg", "Writer", "Commit", "Schema")
            .check(classes);
    }
}
