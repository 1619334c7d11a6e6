package io.eventlake.connect.source.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The server's TLS context from a key store file (PKCS12 or JKS). */
public final class Tls {

    private Tls() {
    }

    /**
     * @param keyPassword the key's password, or null to use the store's
     * @throws ConfigException naming {@code locationKey} when the store cannot be read or holds no usable key
     */
    public static SSLContext context(String locationKey, String location, String type, Password storePassword,
                                     Password keyPassword) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            char[] store = storePassword == null ? null : storePassword.value().toCharArray();
            KeyStore keys = KeyStore.getInstance(type);
            keys.load(in, store);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword == null ? store : keyPassword.value().toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // The exception's message may name the file, never a password.
            throw new ConfigException(locationKey, location, "cannot load the " + type + " key store: " + e);
        }
    }
}
