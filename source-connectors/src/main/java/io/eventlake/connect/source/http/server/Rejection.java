package io.eventlake.connect.source.http.server;

/** A request refused before any of its events was accepted, with the answer to give. */
final class Rejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Response response;

    Rejection(Response response) {
        super(response.body(), null, false, false);
        this.response = response;
    }

    Response response() {
        return response;
    }
}
