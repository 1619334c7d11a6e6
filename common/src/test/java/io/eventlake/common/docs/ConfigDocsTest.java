package io.eventlake.common.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void rendersGroupsInOrderWithRequiredKeysAndValidators() {
        ConfigDef def = new ConfigDef()
            .define("b.key", Type.INT, 5, ConfigDef.Range.atLeast(1), Importance.LOW, "Second | piped.", "Grp", 2,
                ConfigDef.Width.SHORT, "B")
            .define("a.key", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "First.", "Grp", 1,
                ConfigDef.Width.SHORT, "A");
        String md = ConfigDocs.render("x.Plugin", "Does things.", def);

        assertTrue(md.startsWith("## `x.Plugin`\n\nDoes things.\n\n### Grp\n"), md);
        int a = md.indexOf("| `a.key` | string | (required) |  | high | First. |");
        int b = md.indexOf("| `b.key` | int | `5` | [1,...] | low | Second \\| piped. |");
        assertTrue(a > 0 && b > a, md);
    }

    @Test
    void placeholdersInAnglesAreEscapedForMarkdown() {
        ConfigDef def = new ConfigDef().define("k", Type.STRING, "", Importance.LOW, "Under <dir>/<topic>.");
        String md = ConfigDocs.render("P", "Files <topic>+<partition>.", def);
        assertTrue(md.contains("Files &lt;topic&gt;+&lt;partition&gt;.") && md.contains("Under &lt;dir&gt;/&lt;topic&gt;."),
            md);
    }

    @Test
    void ungroupedKeysGoUnderOther() {
        ConfigDef def = new ConfigDef().define("k", Type.BOOLEAN, true, Importance.MEDIUM, "Flag.");
        String md = ConfigDocs.render("P", "O", def);
        assertTrue(md.contains("### Other"), md);
        assertEquals(1, md.lines().filter(l -> l.startsWith("| `k` | boolean | `true` |")).count(), md);
    }

    @Test
    void theCheckFailsWhenTheCommittedReferenceDriftsAndUpdatesItWhenAsked(@org.junit.jupiter.api.io.TempDir
                                                                            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path generated = dir.resolve("gen.md");
        java.nio.file.Path committed = dir.resolve("doc.md");
        java.nio.file.Files.writeString(generated, "# new\n");
        java.nio.file.Files.writeString(committed, "# old\n");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> ConfigDocs.check(generated, committed, false));
        assertTrue(e.getMessage().contains("-Ddocs.update=true") && e.getMessage().contains("character 2"),
            e.getMessage());
        ConfigDocs.check(generated, committed, true);
        assertEquals("# new\n", java.nio.file.Files.readString(committed));
        ConfigDocs.check(generated, committed, false);
    }
}
