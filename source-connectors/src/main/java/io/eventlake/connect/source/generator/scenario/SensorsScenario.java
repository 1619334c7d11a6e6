package io.eventlake.connect.source.generator.scenario;

import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * IoT sensor readings: each device has a site, a sensor type with its unit and a baseline, a firmware version and a
 * battery that drains and is replaced. A block holds 8 readings of each of 8 devices, taken in turn; values follow
 * a slow daily-like cycle around the device's baseline with noise, and 0.2 % are spikes of three cycle amplitudes.
 */
public final class SensorsScenario implements Scenario {

    public static final String NAME = "sensors";
    private static final int DEVICES_PER_BLOCK = 8;
    private static final int READINGS_PER_DEVICE = 8;
    private static final int BLOCK = DEVICES_PER_BLOCK * READINGS_PER_DEVICE;
    private static final long DEVICE_SALT = 0x73656E73L;

    static final String[] TYPES = {"temperature", "humidity", "pressure", "vibration", "co2"};
    static final String[] UNITS = {"celsius", "percent", "hpa", "mm_per_s", "ppm"};
    private static final double[][] BASELINE = {{18, 26}, {30, 60}, {1000, 1025}, {0.5, 3}, {400, 800}};
    private static final double[] AMPLITUDE = {3, 10, 3, 0.5, 150};
    private static final double[] NOISE = {0.3, 1, 0.5, 0.2, 20};
    private static final String[] FIRMWARE = {"1.4.2", "2.0.1", "2.0.1", "2.0.1", "2.1.0", "2.1.0", "2.1.0",
        "2.1.0", "2.1.0", "2.1.0"};

    public static final Schema SCHEMA = SchemaBuilder.struct()
        .name("io.eventlake.SensorReading").version(1).doc("A reading of an IoT sensor.")
        .field("event_id", SchemaBuilder.string().doc("Unique id of the event (UUID).").build())
        .field("event_time", Timestamp.builder().doc("When the reading was taken (UTC).").build())
        .field("device_id", SchemaBuilder.string().doc("The device; also the Kafka key.").build())
        .field("site_id", SchemaBuilder.string().doc("Where the device is installed.").build())
        .field("sensor_type", SchemaBuilder.string().doc("temperature, humidity, pressure, vibration or co2.")
            .build())
        .field("value", SchemaBuilder.float64().doc("The reading, in `unit`.").build())
        .field("unit", SchemaBuilder.string().doc("celsius, percent, hpa, mm_per_s or ppm.").build())
        .field("battery_pct", SchemaBuilder.float64().doc("Battery charge left, 0-100.").build())
        .field("firmware", SchemaBuilder.string().doc("Firmware version of the device.").build())
        .build();

    private static final Field EVENT_ID = SCHEMA.field("event_id");
    private static final Field EVENT_TIME = SCHEMA.field("event_time");
    private static final Field DEVICE_ID = SCHEMA.field("device_id");
    private static final Field SITE_ID = SCHEMA.field("site_id");
    private static final Field SENSOR_TYPE = SCHEMA.field("sensor_type");
    private static final Field VALUE = SCHEMA.field("value");
    private static final Field UNIT = SCHEMA.field("unit");
    private static final Field BATTERY = SCHEMA.field("battery_pct");
    private static final Field FIRMWARE_FIELD = SCHEMA.field("firmware");

    private static final int CACHE = 4096;

    private final long seed;
    private final int devices;
    private final Device[] cache = new Device[CACHE];

    SensorsScenario(ScenarioSettings settings) {
        this.seed = settings.seed();
        this.devices = settings.devices();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int idTag() {
        return 4;
    }

    @Override
    public Schema valueSchema() {
        return SCHEMA;
    }

    @Override
    public Field idField() {
        return EVENT_ID;
    }

    @Override
    public Field timeField() {
        return EVENT_TIME;
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public void fill(SplittableRandom random, Block block, List<Draft> out) {
        int[] chosen = new int[DEVICES_PER_BLOCK];
        for (int d = 0; d < DEVICES_PER_BLOCK; d++) {
            chosen[d] = random.nextInt(devices);
        }
        for (int r = 0; r < READINGS_PER_DEVICE; r++) {
            for (int device : chosen) {
                out.add(reading(device, block.index() * READINGS_PER_DEVICE + r, random));
            }
        }
    }

    /** A device's fixed attributes, a pure function of the seed and its number. */
    private record Device(int number, String id, String site, int type, double baseline, double phase,
                          double drainPerTick, double batteryPhase, String firmware) {
    }

    private Device device(int number) {
        Device cached = cache[number & (CACHE - 1)];
        if (cached != null && cached.number() == number) {
            return cached;
        }
        long h = Mix.mix(seed, DEVICE_SALT, number);
        int type = (int) Long.remainderUnsigned(h, TYPES.length);
        double u = Mix.unit(Mix.mix(h, 1));
        Device d = new Device(number, String.format("sensor-%05d", number), String.format("site-%03d", number / 20),
            type, BASELINE[type][0] + u * (BASELINE[type][1] - BASELINE[type][0]), 2 * Math.PI * Mix.unit(Mix.mix(h, 2)),
            0.01 + 0.04 * Mix.unit(Mix.mix(h, 3)), 100 * Mix.unit(Mix.mix(h, 4)),
            FIRMWARE[(int) Long.remainderUnsigned(Mix.mix(h, 5), FIRMWARE.length)]);
        cache[number & (CACHE - 1)] = d;
        return d;
    }

    private Draft reading(int number, long tick, SplittableRandom random) {
        Device d = device(number);
        int type = d.type();
        double value = d.baseline() + AMPLITUDE[type] * Math.sin(d.phase() + 2 * Math.PI * tick / 288.0)
            + NOISE[type] * Mix.gaussian(random);
        if (random.nextDouble() < 0.002) {
            value += 3 * AMPLITUDE[type] * (random.nextBoolean() ? 1 : -1);
        }
        double battery = 100 - ((tick * d.drainPerTick() + d.batteryPhase()) % 97);
        Struct v = new Struct(SCHEMA)
            .put(DEVICE_ID, d.id())
            .put(SITE_ID, d.site())
            .put(SENSOR_TYPE, TYPES[type])
            .put(VALUE, Math.round(value * 100) / 100.0)
            .put(UNIT, UNITS[type])
            .put(BATTERY, Math.round(battery * 10) / 10.0)
            .put(FIRMWARE_FIELD, d.firmware());
        return Draft.of(d.id(), v);
    }
}
