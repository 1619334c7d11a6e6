package io.eventlake.it.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Picks requests by method and a regular expression on the decoded path (and optionally headers), counts the
 * requests that match, and applies its {@link Fault} to the matches number {@code nth} to {@code nth + times - 1}.
 * Retries of the S3 client are separate requests, so they count as matches too.
 */
public final class Rule {

    private final String method;
    private final Pattern path;
    private final Map<String, Pattern> headers = new LinkedHashMap<>();
    private int nth = 1;
    private int times = 1;
    private Fault fault;
    private int matched;
    private int fired;

    private Rule(String method, String pathRegex) {
        this.method = method;
        this.path = Pattern.compile(pathRegex);
    }

    /** Requests with this method (null: any) whose whole decoded path matches the regular expression. */
    public static Rule on(String method, String pathRegex) {
        return new Rule(method, pathRegex);
    }

    /** Only requests that carry this header with a value matching the regular expression. */
    public Rule header(String name, String valueRegex) {
        headers.put(name, Pattern.compile(valueRegex));
        return this;
    }

    /** Acts from the n-th matching request on (1 is the first). */
    public Rule nth(int n) {
        this.nth = n;
        return this;
    }

    /** Acts on this many matching requests in a row. */
    public Rule times(int n) {
        this.times = n;
        return this;
    }

    /** Acts on every matching request from the n-th on. */
    public Rule always() {
        return times(Integer.MAX_VALUE);
    }

    public Rule then(Fault f) {
        this.fault = f;
        return this;
    }

    /** Counts the request if it matches; returns the fault when this match is one to act on. */
    synchronized Fault apply(Request r) {
        if (method != null && !method.equals(r.method()) || !path.matcher(r.path()).matches()) {
            return null;
        }
        for (Map.Entry<String, Pattern> h : headers.entrySet()) {
            String value = r.header(h.getKey());
            if (value == null || !h.getValue().matcher(value).matches()) {
                return null;
            }
        }
        matched++;
        if (matched >= nth && matched - nth < times) {
            fired++;
            return fault;
        }
        return null;
    }

    /** A stall's held requests are passed on when the rule is removed, so no connection hangs. */
    void releaseStalls() {
        if (fault instanceof Fault.Stall stall && !stall.gate().released()) {
            stall.gate().releaseAll();
        }
    }

    /** Requests that matched so far. */
    public synchronized int matched() {
        return matched;
    }

    /** Requests the fault was applied to so far. */
    public synchronized int fired() {
        return fired;
    }

    @Override
    public String toString() {
        return (method == null ? "*" : method) + " " + path + (headers.isEmpty() ? "" : " " + headers) + " #" + nth
            + (times == Integer.MAX_VALUE ? "+" : times > 1 ? ".." + (nth + times - 1) : "") + " -> " + fault;
    }
}
