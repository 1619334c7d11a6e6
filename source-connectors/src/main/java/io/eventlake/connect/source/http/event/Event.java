package io.eventlake.connect.source.http.event;

/**
 * One parsed event: its Kafka key (null without {@code event.key.field}), its value (a Struct of the configured
 * schema, or a Map) and its timestamp in epoch milliseconds (the event time, or when the request arrived).
 */
public record Event(String key, Object value, long timestamp) {
}
