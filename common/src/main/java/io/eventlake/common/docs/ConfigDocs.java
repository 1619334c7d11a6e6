package io.eventlake.common.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders the Markdown config reference of every plugin from its public {@code OVERVIEW_DOC} and
 * {@code CONFIG_DEF}, so the documentation cannot drift from the code. Run at build time by the
 * distribution module: {@code ConfigDocs <out.md> <plugin class>...} writes the reference, and
 * {@code ConfigDocs --check <generated.md> <committed.md> <update>} fails the build when the committed copy differs
 * (or, with update {@code true}, replaces it).
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        if (args.length > 0 && "--check".equals(args[0])) {
            check(Path.of(args[1]), Path.of(args[2]), args.length > 3 && "true".equals(args[3]));
            return;
        }
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ConfigDocs <output.md> <plugin class>...");
        }
        StringBuilder out = new StringBuilder("# eventlake configuration reference\n\n")
            .append("Generated from each plugin's `ConfigDef`; do not edit by hand.\n");
        for (int i = 1; i < args.length; i++) {
            Class<?> plugin = Class.forName(args[i]);
            String overview = (String) plugin.getField("OVERVIEW_DOC").get(null);
            ConfigDef def = (ConfigDef) plugin.getField("CONFIG_DEF").get(null);
            out.append('\n').append(render(plugin.getName(), overview, def));
        }
        Path target = Path.of(args[0]);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, out.toString(), StandardCharsets.UTF_8);
    }

    /** Compares the generated reference with the committed one; replaces it when asked to. */
    static void check(Path generated, Path committed, boolean update) throws IOException {
        String fresh = Files.readString(generated, StandardCharsets.UTF_8);
        String old = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        if (fresh.equals(old)) {
            return;
        }
        if (update) {
            Files.writeString(committed, fresh, StandardCharsets.UTF_8);
            System.out.println("Updated " + committed);
            return;
        }
        throw new IllegalStateException(committed + " is out of date with the plugins' ConfigDefs (first difference "
            + "at character " + firstDifference(fresh, old) + "). Regenerate it with "
            + "`mvn -B -DskipTests -Ddocs.update=true package` and commit it.");
    }

    static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    /** One plugin's section: its class, overview, then a table per config group in definition order. */
    public static String render(String className, String overview, ConfigDef def) {
        StringBuilder md = new StringBuilder();
        md.append("## `").append(className).append("`\n\n").append(cell(overview.trim())).append("\n");
        List<String> groups = new ArrayList<>(def.groups());
        boolean ungrouped = def.configKeys().values().stream().anyMatch(k -> k.group == null);
        if (ungrouped) {
            groups.add(null);
        }
        for (String group : groups) {
            md.append("\n### ").append(group == null ? "Other" : group).append("\n\n")
              .append("| key | type | default | valid values | importance | description |\n")
              .append("|---|---|---|---|---|---|\n");
            def.configKeys().values().stream()
                .filter(k -> Objects.equals(k.group, group))
                .sorted((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup))
                .forEach(k -> md.append("| `").append(k.name).append("` | ")
                    .append(k.type.name().toLowerCase()).append(" | ")
                    .append(defaultOf(k)).append(" | ")
                    .append(k.validator == null ? "" : cell(describe(className, k))).append(" | ")
                    .append(k.importance.name().toLowerCase()).append(" | ")
                    .append(cell(k.documentation)).append(" |\n"));
        }
        return md.toString();
    }

    /** A validator's own description; one without (a lambda) would print an address that changes every build. */
    private static String describe(String plugin, ConfigDef.ConfigKey key) {
        String text = key.validator.toString();
        if (text.contains("$$Lambda") || text.matches(".*@[0-9a-f]{4,}$")) {
            throw new IllegalStateException(plugin + ": the validator of '" + key.name + "' has no toString(); give it "
                + "one (see io.eventlake.common.config.Validators), the config reference prints it");
        }
        return text;
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "null";
        }
        String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
            : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + cell(text) + "`";
    }

    private static String cell(String text) {
        // Escaped so Markdown shows placeholders like <topic> instead of taking them for HTML tags.
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }
}
