package io.eventlake.local.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.eventlake.local.stack.ConnectRest;
import io.eventlake.local.stack.LakeStats;

/** Reads the pipeline's progress: events the generator committed and what the lake holds. */
final class Pipeline {

    private final ConnectRest rest;
    private final String generator;
    private final String sink;
    private final LakeStats lake;

    Pipeline(ConnectRest rest, String generator, String sink, LakeStats lake) {
        this.rest = rest;
        this.generator = generator;
        this.sink = sink;
        this.lake = lake;
    }

    /** Events in committed generator offsets: each task's offset is the count of its sequence it emitted. */
    long produced() throws IOException, InterruptedException {
        long total = 0;
        List<Map<String, Object>> offsets = rest.sourceOffsets(generator);
        for (Map<String, Object> offset : offsets) {
            Object step = offset == null ? null : offset.get("step");
            if (step instanceof Number n) {
                total += n.longValue();
            }
        }
        return total;
    }

    LakeStats.Snapshot lake() throws IOException {
        return lake.snapshot();
    }

    /** The first failure of either connector, or null. */
    String failure() throws IOException, InterruptedException {
        String failed = rest.failure(generator);
        return failed != null ? failed : rest.failure(sink);
    }
}
