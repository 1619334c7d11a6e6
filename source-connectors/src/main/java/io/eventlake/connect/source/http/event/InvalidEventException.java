package io.eventlake.connect.source.http.event;

/**
 * An event that does not fit the configured schema or mapping, naming the field (a path such as
 * {@code items[2].sku}) and the problem. Thrown for client input, so it carries no stack trace.
 */
public final class InvalidEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public InvalidEventException(String field, String problem) {
        super(field.isEmpty() ? problem : "field '" + field + "': " + problem, null, false, false);
        this.field = field;
        this.problem = problem;
    }

    /** The path of the field, empty for the event as a whole. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** The same problem seen from the enclosing struct field or array index ({@code "[3]"}). */
    InvalidEventException within(String segment) {
        String path = field.isEmpty() ? segment
            : field.startsWith("[") ? segment + field : segment + "." + field;
        return new InvalidEventException(path, problem);
    }
}
