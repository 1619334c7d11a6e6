package io.eventlake.connect.source.generator.scenario;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.apache.kafka.connect.data.Struct;

/** Makes a scenario's events for tests: the drafts of the first blocks of one lane, ids and times set. */
final class ScenarioFixture {

    static final long T0 = 1_764_028_800_000L;

    private ScenarioFixture() {
    }

    static List<Draft> events(Scenario scenario, long seed, int blocks) {
        List<Draft> out = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            int before = out.size();
            Scenario.Block block = new Scenario.Block(0, b, (long) b * scenario.blockSize(), 1);
            scenario.fill(Mix.random(seed, ((long) scenario.idTag() << 32), b), block, out);
            for (int i = before; i < out.size(); i++) {
                long sequence = block.sequenceOf(i - before);
                Struct v = out.get(i).value();
                v.put(scenario.idField(), EventIds.of(seed, scenario.idTag(), sequence));
                v.put(scenario.timeField(), new Date(T0 + sequence * 1000));
            }
        }
        return out;
    }
}
