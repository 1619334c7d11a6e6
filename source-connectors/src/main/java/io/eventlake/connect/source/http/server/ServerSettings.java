package io.eventlake.connect.source.http.server;

import java.util.Map;
import javax.net.ssl.SSLContext;

import org.apache.kafka.common.config.types.Password;

/**
 * What one task's server needs, taken from the connector config once.
 * @param routes ingest path to topic
 * @param stallMs new requests are refused with 503 when Connect has not polled the task for this long
 * @param tls the TLS context, or null for plain HTTP
 * @param bearerToken the token clients must send, or null
 * @param hmacSecret the secret of request signatures, or null
 * @param hmacToleranceSeconds how far a signature's time may be from the server's clock
 * @param threads requests checked and parsed at once
 * @param readThreads requests read at once, each on its own thread
 * @param readTimeoutMs how long a request may take to arrive, head and body, from its first byte
 * @param name names the server's threads
 */
public record ServerSettings(String bindAddress, int port, Map<String, String> routes, String healthPath,
                             int threads, int readThreads, long readTimeoutMs, int requestMaxBytes, long ackTimeoutMs, int retryAfterSeconds, long stallMs,
                             boolean acknowledgeDropped, Password bearerToken, Password hmacSecret,
                             String signatureHeader, int hmacToleranceSeconds, SSLContext tls, String name) {
}
