package io.eventlake.connect.source.http.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.config.types.Password;

import com.sun.net.httpserver.Headers;

/**
 * The optional checks of who sends: a bearer token ({@code Authorization: Bearer <token>}) and an HMAC-SHA256
 * signature of the body ({@code <header>: sha256=<hex>}). Missing credentials answer 401, wrong ones 403. Secrets are
 * compared in constant time and never appear in an answer or a log.
 */
final class RequestAuth {

    private static final String SIGNATURE_PREFIX = "sha256=";

    private final byte[] token;
    private final SecretKeySpec hmacKey;
    private final String signatureHeader;
    private final ThreadLocal<Mac> macs;

    /**
     * @param token the bearer token, or null for none
     * @param hmacSecret the HMAC secret, or null for none
     */
    RequestAuth(Password token, Password hmacSecret, String signatureHeader) {
        this.token = token == null || token.value().isEmpty() ? null
            : token.value().getBytes(StandardCharsets.UTF_8);
        this.hmacKey = hmacSecret == null || hmacSecret.value().isEmpty() ? null
            : new SecretKeySpec(hmacSecret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.signatureHeader = signatureHeader;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    boolean signs() {
        return hmacKey != null;
    }

    /** Checks the bearer token; before the body is read. */
    void checkToken(Headers headers) throws Rejection {
        if (token == null) {
            return;
        }
        String auth = headers.getFirst("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new Rejection(Response.rejected(401, "missing Authorization: Bearer <token> header",
                Map.of("WWW-Authenticate", "Bearer realm=\"eventlake\"")));
        }
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Rejection(Response.rejected(401, "the Authorization header is not a Bearer token",
                Map.of("WWW-Authenticate", "Bearer realm=\"eventlake\"")));
        }
        byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, given)) {
            throw new Rejection(Response.rejected(403, "wrong bearer token"));
        }
    }

    /** Checks the body's signature; after the body is read, before it is parsed. */
    void checkSignature(Headers headers, byte[] body, int length) throws Rejection {
        if (hmacKey == null) {
            return;
        }
        String header = headers.getFirst(signatureHeader);
        if (header == null || header.isBlank()) {
            throw new Rejection(Response.rejected(401, "missing " + signatureHeader + ": " + SIGNATURE_PREFIX
                + "<hex HMAC-SHA256 of the body> header"));
        }
        String value = header.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(SIGNATURE_PREFIX)) {
            throw new Rejection(Response.rejected(403, "the " + signatureHeader + " header must be "
                + SIGNATURE_PREFIX + "<hex HMAC-SHA256 of the body>"));
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(SIGNATURE_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new Rejection(Response.rejected(403, "the " + signatureHeader + " signature is not hex"));
        }
        Mac mac = macs.get();
        mac.update(body, 0, length);
        if (!MessageDigest.isEqual(mac.doFinal(), given)) {
            throw new Rejection(Response.rejected(403, "wrong " + signatureHeader + " signature"));
        }
    }
}
