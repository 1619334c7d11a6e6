package io.eventlake.it.faults;

/**
 * A finished exchange: the request, the fault applied (empty when it was relayed plainly) and the status of its
 * answer: the server's (also when the client then got only part of it, or gave up waiting), or the fault's error;
 * -1 when there was none (reset mid-request, or the server did not answer).
 */
public record Exchange(Request request, String fault, int status) {

    public String method() {
        return request.method();
    }

    public String path() {
        return request.path();
    }
}
