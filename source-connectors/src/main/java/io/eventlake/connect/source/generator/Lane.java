package io.eventlake.connect.source.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventlake.connect.source.generator.scenario.Draft;
import io.eventlake.connect.source.generator.scenario.Mix;
import io.eventlake.connect.source.generator.scenario.Scenario;

/**
 * One lane of the event sequence: of {@code L} lanes, lane {@code l} owns sequence numbers {@code l, l+L, l+2L...};
 * its steps are grouped in blocks of the scenario's block size. The block of the next step is made on demand (and
 * made again after a restart), so every event is a pure function of (seed, lane, step).
 */
final class Lane {

    final int id;
    final Map<String, Object> partition;
    final long limit;
    long nextStep;
    long reports;

    private final Scenario scenario;
    private final long seed;
    private final long laneCount;
    private final List<Draft> block;
    private long blockIndex = -1;

    Lane(int id, Map<String, Object> partition, long nextStep, long reports, long limit, Scenario scenario, long seed,
         long laneCount) {
        this.id = id;
        this.partition = partition;
        this.nextStep = nextStep;
        this.reports = reports;
        this.limit = limit;
        this.scenario = scenario;
        this.seed = seed;
        this.laneCount = laneCount;
        this.block = new ArrayList<>(scenario.blockSize());
    }

    boolean exhausted() {
        return nextStep >= limit;
    }

    long sequenceOf(long step) {
        return id + step * laneCount;
    }

    /** The draft of {@code step}, making its block if needed. */
    Draft draft(long step) {
        int size = scenario.blockSize();
        long index = step / size;
        if (index != blockIndex) {
            block.clear();
            Scenario.Block b = new Scenario.Block(id, index, sequenceOf(index * size), laneCount);
            scenario.fill(Mix.random(seed, ((long) scenario.idTag() << 32) | id, index), b, block);
            if (block.size() != size) {
                throw new IllegalStateException("scenario " + scenario.name() + " made " + block.size()
                    + " events for a block of " + size);
            }
            blockIndex = index;
        }
        return block.get((int) (step % size));
    }
}
