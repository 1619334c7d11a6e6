package io.eventlake.it.faults;

import java.time.Duration;

/** What the {@link FaultProxy} does to a request a {@link Rule} picked, instead of relaying it plainly. */
public sealed interface Fault {

    /** Answers with an S3 error (XML body, as S3 sends it) without passing the request on. */
    record Error(int status, String code, String message) implements Fault {
    }

    /** Resets the connection (TCP RST) after the head and part of the body came in; nothing is passed on. */
    record ResetMidRequest() implements Fault {
    }

    /** Passes the request on, then sends the client part of the answer and resets the connection. */
    record ResetMidResponse() implements Fault {
    }

    /** Passes the request on (the server acts on it) and holds the answer back this long before relaying it. */
    record HoldResponse(Duration duration) implements Fault {
    }

    /** Waits this long before passing the request on. */
    record Delay(Duration duration) implements Fault {
    }

    /** Holds the request, before it is passed on, until the gate is released; the release says what happens. */
    record Stall(Gate gate) implements Fault {
    }

    static Fault slowDown() {
        return new Error(503, "SlowDown", "Please reduce your request rate.");
    }

    static Fault internalError() {
        return new Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    static Fault accessDenied() {
        return new Error(403, "AccessDenied", "Access Denied");
    }

    static Fault resetMidRequest() {
        return new ResetMidRequest();
    }

    static Fault resetMidResponse() {
        return new ResetMidResponse();
    }

    static Fault holdResponse(Duration duration) {
        return new HoldResponse(duration);
    }

    static Fault delay(Duration duration) {
        return new Delay(duration);
    }

    static Fault stall(Gate gate) {
        return new Stall(gate);
    }
}
