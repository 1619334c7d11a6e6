package io.eventlake.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.validate.Validate;

/**
 * The worker finds plugins with {@code plugin.discovery=service_load} only through {@code META-INF/services}: every
 * concrete plugin class of these packages must be listed, loadable by {@link ServiceLoader}, and documented.
 */
class ServiceFilesTest {

    /** Every plugin class the services files list: what the worker will find. */
    private static final List<Class<?>> TRANSFORMATIONS = classesListedFor(Transformation.class);
    private static final List<Class<?>> PREDICATES = classesListedFor(Predicate.class);

    private static List<Class<?>> classesListedFor(Class<?> service) {
        try {
            List<Class<?>> out = new java.util.ArrayList<>();
            for (String name : listed(service)) {
                out.add(Class.forName(name));
            }
            return out;
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("a class listed for " + service.getName() + " does not load", e);
        }
    }

    /**
     * Every public concrete class of the plugin's packages that implements {@code service} and has a public no-arg
     * constructor (a worker could instantiate it): found by walking the compiled classes, not kept by hand.
     */
    private static List<String> pluginClassesOnDisk(Class<?> service) throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of(Validate.class.getProtectionDomain().getCodeSource()
            .getLocation().toURI());
        List<String> out = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(x -> x.toString()
                .endsWith(".class"))::iterator) {
                String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '.')
                    .replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ServiceFilesTest.class.getClassLoader());
                if (service.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())
                    && !Modifier.isAbstract(c.getModifiers()) && !c.isInterface() && publicNoArg(c)) {
                    out.add(c.getName());
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean publicNoArg(Class<?> c) {
        try {
            return Modifier.isPublic(c.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Test
    void theServicesFilesListEveryPluginClassAndNothingElse() throws Exception {
        assertEquals(pluginClassesOnDisk(Transformation.class),
            TRANSFORMATIONS.stream().map(Class::getName).sorted().toList());
        assertEquals(pluginClassesOnDisk(Predicate.class), PREDICATES.stream().map(Class::getName).sorted().toList());
        assertTrue(TRANSFORMATIONS.stream().anyMatch(c -> c.getName().endsWith("FraudFlag$Value")));
    }

    private static List<String> listed(Class<?> service) throws IOException {
        try (InputStream in = ServiceFilesTest.class.getResourceAsStream("/META-INF/services/" + service.getName())) {
            assertNotNull(in, "no service file for " + service.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    @Test
    void everyTransformationIsListedAndLoads() throws IOException {
        List<String> names = listed(Transformation.class);
        for (Class<?> c : TRANSFORMATIONS) {
            assertTrue(names.contains(c.getName()), c.getName() + " is not listed");
        }
        @SuppressWarnings("rawtypes")
        long loaded = ServiceLoader.load(Transformation.class).stream()
            .filter(p -> TRANSFORMATIONS.contains(p.type())).count();
        assertEquals(TRANSFORMATIONS.size(), loaded);
    }

    @Test
    void everyPredicateIsListedAndLoads() throws IOException {
        List<String> names = listed(Predicate.class);
        for (Class<?> c : PREDICATES) {
            assertTrue(names.contains(c.getName()), c.getName() + " is not listed");
        }
        @SuppressWarnings("rawtypes")
        long loaded = ServiceLoader.load(Predicate.class).stream().filter(p -> PREDICATES.contains(p.type())).count();
        assertEquals(PREDICATES.size(), loaded);
    }

    @Test
    void everyPluginIsConcreteAndDocumented() throws ReflectiveOperationException {
        for (Class<?> c : concat(TRANSFORMATIONS, PREDICATES)) {
            assertTrue(!Modifier.isAbstract(c.getModifiers()) && Modifier.isPublic(c.getConstructor().getModifiers()),
                c.getName());
            String overview = (String) c.getField("OVERVIEW_DOC").get(null);
            ConfigDef def = (ConfigDef) c.getField("CONFIG_DEF").get(null);
            assertTrue(overview.length() > 50, c.getName());
            def.configKeys().values().forEach(k -> assertTrue(k.documentation != null && !k.documentation.isBlank(),
                c.getName() + " " + k.name));
            Object plugin = c.getConstructor().newInstance();
            assertEquals(def, plugin instanceof Transformation<?> t ? t.config() : ((Predicate<?>) plugin).config());
        }
    }

    @Test
    void noKeyCollidesWithTheKeysConnectReservesForTransformsAndPredicates() {
        for (Class<?> c : concat(TRANSFORMATIONS, PREDICATES)) {
            Map<String, ConfigDef.ConfigKey> keys = configKeys(c);
            for (String reserved : List.of("type", "predicate", "negate")) {
                assertTrue(!keys.containsKey(reserved), c.getName() + " defines " + reserved);
            }
        }
    }

    private static Map<String, ConfigDef.ConfigKey> configKeys(Class<?> c) {
        try {
            return ((ConfigDef) c.getField("CONFIG_DEF").get(null)).configKeys();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Class<?>> concat(List<Class<?>> a, List<Class<?>> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
