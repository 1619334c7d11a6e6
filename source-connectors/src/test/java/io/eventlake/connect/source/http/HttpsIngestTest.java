package io.eventlake.connect.source.http;

import static io.eventlake.connect.source.http.TaskHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task serving HTTPS from a key store, with a client that trusts the store's certificate. */
class HttpsIngestTest {

    @TempDir
    static Path dir;
    static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "eventlake", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
            "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
            "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), out);
    }

    static SSLContext trusting(Path store) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    @Test
    void eventsArriveOverHttps() throws Exception {
        Map<String, String> props = HttpIngestSourceTaskTest.typed(
            HttpIngestConfig.KEYSTORE_LOCATION_CONFIG, keyStore.toString(),
            HttpIngestConfig.KEYSTORE_PASSWORD_CONFIG, "changeit");
        try (TaskHarness h = new TaskHarness(props, Map.of(), trusting(keyStore))) {
            CompletableFuture<HttpResponse<String>> answer = h.postJson(HttpIngestSourceTaskTest.event("a"));
            h.ack(h.poll(1));
            HttpResponse<String> response = await(answer);
            assertEquals(200, response.statusCode());
            assertEquals("https", response.uri().getScheme());
        }
    }

    @Test
    void aWrongStorePasswordNamesTheKeyStoreAndNotThePassword() {
        Map<String, String> props = HttpIngestSourceTaskTest.typed(
            HttpIngestConfig.KEYSTORE_LOCATION_CONFIG, keyStore.toString(),
            HttpIngestConfig.KEYSTORE_PASSWORD_CONFIG, "wrong-password-123");
        ConfigException e = assertThrows(ConfigException.class, () -> new TaskHarness(props, Map.of(), null));
        assertTrue(e.getMessage().contains(HttpIngestConfig.KEYSTORE_LOCATION_CONFIG), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-password-123"), e.getMessage());
    }

    @Test
    void aMissingStoreIsNamed() {
        Map<String, String> props = HttpIngestSourceTaskTest.typed(
            HttpIngestConfig.KEYSTORE_LOCATION_CONFIG, dir.resolve("nope.p12").toString(),
            HttpIngestConfig.KEYSTORE_PASSWORD_CONFIG, "changeit");
        ConfigException e = assertThrows(ConfigException.class, () -> new TaskHarness(props, Map.of(), null));
        assertTrue(e.getMessage().contains("nope.p12"), e.getMessage());
    }
}
