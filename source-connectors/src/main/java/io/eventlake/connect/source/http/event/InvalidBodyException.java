package io.eventlake.connect.source.http.event;

/**
 * A request body that cannot be taken as a whole: malformed JSON, or an event that does not fit the schema. Names the
 * line of the body (1-based; 0 when unknown), the event's position in the request (1-based; 0 for the body as a
 * whole) and the field (empty when not about one field). Thrown for client input, so it carries no stack trace.
 */
public final class InvalidBodyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int line;
    private final int event;
    private final String field;

    public InvalidBodyException(String problem, int line, int event, String field) {
        super(describe(problem, line, event, field), null, false, false);
        this.problem = problem;
        this.line = line;
        this.event = event;
        this.field = field;
    }

    private static String describe(String problem, int line, int event, String field) {
        StringBuilder s = new StringBuilder();
        if (line > 0) {
            s.append("line ").append(line).append(", ");
        }
        if (event > 0) {
            s.append("event ").append(event).append(", ");
        }
        if (!field.isEmpty()) {
            s.append("field '").append(field).append("': ");
        }
        return s.append(problem).toString();
    }

    public String problem() {
        return problem;
    }

    public int line() {
        return line;
    }

    public int event() {
        return event;
    }

    public String field() {
        return field;
    }
}
