package io.eventlake.connect.source.generator;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/** The schemas of generated events, built once. */
public final class EventSchemas {

    public static final String EVENT_ID = "event_id";
    public static final String USER_ID = "user_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String AMOUNT = "amount";
    public static final String EVENT_TIME = "event_time";

    public static final int AMOUNT_SCALE = 2;
    public static final int AMOUNT_PRECISION = 12;

    public static final Schema AMOUNT_SCHEMA = Decimal.builder(AMOUNT_SCALE)
        .parameter("connect.decimal.precision", Integer.toString(AMOUNT_PRECISION))
        .optional()
        .doc("Money moved by the event, in the shop's currency; null for events that move none.")
        .build();

    public static final Schema EVENT = SchemaBuilder.struct()
        .name("io.eventlake.Event")
        .version(1)
        .doc("A business event.")
        .field(EVENT_ID, SchemaBuilder.string().doc("Unique id of the event (UUID).").build())
        .field(USER_ID, SchemaBuilder.string().doc("The user who caused the event.").build())
        .field(EVENT_TYPE, SchemaBuilder.string().doc("page_view, add_to_cart, purchase or payment.").build())
        .field(AMOUNT, AMOUNT_SCHEMA)
        .field(EVENT_TIME, Timestamp.builder().doc("When the event happened (UTC).").build())
        .build();

    public static final Schema KEY = Schema.STRING_SCHEMA;

    private EventSchemas() {
    }
}
