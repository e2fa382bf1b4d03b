package io.un0.scheduler.testing;

import io.un0.broker.LocalKafka;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real broker for the scheduler's tests, with every mesh topic and the assignment topics of the given pools made. */
public final class MeshBroker {

    private MeshBroker() {
    }

    public static LocalKafka start(Path data, List<String> pools) throws Exception {
        LocalKafka kafka = LocalKafka.start(data, 0, 0);
        List<MeshTopic> topics = new ArrayList<>(MeshTopic.FIXED);
        pools.forEach(p -> topics.addAll(MeshTopic.assignmentLanes(p)));
        MeshTopics.create(kafka.bootstrapServers(), topics);
        return kafka;
    }
}
