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
 * signature ({@code <header>: t=<unix seconds>,sha256=<hex>}) of {@code "<t>.<path>."} followed by the body, as
 * webhook providers sign: the time bounds a replay to the tolerance window, the path to the route it was sent to.
 * Missing credentials answer 401, wrong ones 403. Secrets are compared in constant time and never appear in an
 * answer or a log.
 */
final class RequestAuth {

    private static final String FORMAT = "t=<unix seconds>,sha256=<hex HMAC-SHA256 of '<t>.<path>.' and the body>";

    private final byte[] token;
    private final SecretKeySpec hmacKey;
    private final String signatureHeader;
    private final ThreadLocal<Mac> macs;
    private final long toleranceMs;

    /**
     * @param token the bearer token, or null for none
     * @param hmacSecret the HMAC secret, or null for none
     * @param toleranceSeconds how far a signature's time may be from the server's clock
     */
    RequestAuth(Password token, Password hmacSecret, String signatureHeader, int toleranceSeconds) {
        this.toleranceMs = toleranceSeconds * 1000L;
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

    /** Checks the request's signature; after the body is read, before it is parsed. */
    void checkSignature(Headers headers, String path, byte[] body, int length, long nowMs) throws Rejection {
        if (hmacKey == null) {
            return;
        }
        String header = headers.getFirst(signatureHeader);
        if (header == null || header.isBlank()) {
            throw new Rejection(Response.rejected(401, "missing " + signatureHeader + ": " + FORMAT + " header"));
        }
        String time = null;
        String hex = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                time = p.substring(2);
            } else if (p.toLowerCase(Locale.ROOT).startsWith("sha256=")) {
                hex = p.substring(7);
            }
        }
        long seconds;
        byte[] given;
        try {
            if (time == null || hex == null) {
                throw new IllegalArgumentException();
            }
            seconds = Long.parseLong(time);
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Response.rejected(403, "the " + signatureHeader + " header must be " + FORMAT));
        }
        if (Math.abs(nowMs - seconds * 1000) > toleranceMs) {
            throw new Rejection(Response.rejected(403, "the " + signatureHeader + " time t=" + seconds + " is more "
                + "than " + toleranceMs / 1000 + " s from the server's clock (http.auth.hmac.tolerance.seconds)"));
        }
        Mac mac = macs.get();
        mac.update((time + "." + path + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body, 0, length);
        if (!MessageDigest.isEqual(mac.doFinal(), given)) {
            throw new Rejection(Response.rejected(403, "wrong " + signatureHeader + " signature"));
        }
    }
}
