package io.eventlake.connect.source.generator.scenario;

import java.util.Date;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Fraud reports (chargebacks): the late confirmation that a transaction was fraud, filed a configurable number of
 * days after it, for a configurable share of frauds. A consumer must let a report count only for events at or after
 * its {@code reported_time}: the generator writes a report at once, beside its transaction, with its future
 * reported time, so that a replay never depends on when the report was read.
 */
public final class FraudReports {

    /** Tag of report ids; scenario tags are 1-4. */
    public static final int ID_TAG = 5;

    public static final Schema SCHEMA = SchemaBuilder.struct()
        .name("io.eventlake.FraudReport").version(1).doc("A confirmed fraud (chargeback) of a transaction.")
        .field("report_id", SchemaBuilder.string().doc("Unique id of the report (UUID).").build())
        .field("transaction_id", SchemaBuilder.string().doc("The fraudulent transaction.").build())
        .field("user_id", SchemaBuilder.string().doc("The card holder; also the Kafka key.").build())
        .field("card_id", SchemaBuilder.string().doc("The card charged.").build())
        .field("merchant_id", SchemaBuilder.string().doc("The merchant (or terminal) charged.").build())
        .field("amount", Money.schema(false, "Amount of the transaction."))
        .field("currency", SchemaBuilder.string().doc("ISO 4217 code of the amount.").build())
        .field("event_time", Timestamp.builder().doc("Event time of the transaction (UTC).").build())
        .field("reported_time", Timestamp.builder()
            .doc("When the fraud was reported (UTC): the report counts from then on.").build())
        .build();

    private static final Field REPORT_ID = SCHEMA.field("report_id");
    private static final Field TRANSACTION_ID = SCHEMA.field("transaction_id");
    private static final Field USER_ID = SCHEMA.field("user_id");
    private static final Field CARD_ID = SCHEMA.field("card_id");
    private static final Field MERCHANT_ID = SCHEMA.field("merchant_id");
    private static final Field AMOUNT = SCHEMA.field("amount");
    private static final Field CURRENCY = SCHEMA.field("currency");
    private static final Field EVENT_TIME = SCHEMA.field("event_time");
    private static final Field REPORTED_TIME = SCHEMA.field("reported_time");

    private FraudReports() {
    }

    /** The report of an emitted transaction (its id and event time set). */
    public static Struct of(Struct transaction, String reportId, long reportedTimeMs) {
        return new Struct(SCHEMA)
            .put(REPORT_ID, reportId)
            .put(TRANSACTION_ID, transaction.get("transaction_id"))
            .put(USER_ID, transaction.get("user_id"))
            .put(CARD_ID, transaction.get("card_id"))
            .put(MERCHANT_ID, transaction.get("merchant_id"))
            .put(AMOUNT, transaction.get("amount"))
            .put(CURRENCY, transaction.get("currency"))
            .put(EVENT_TIME, transaction.get("event_time"))
            .put(REPORTED_TIME, new Date(reportedTimeMs));
    }
}
