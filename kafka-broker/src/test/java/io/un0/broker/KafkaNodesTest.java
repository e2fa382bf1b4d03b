package io.un0.broker;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaNodesTest {

    private static final KafkaNodes THREE = new KafkaNodes("cluster", List.of(new KafkaNodes.Ports("127.0.0.1", 9092, 9093),
            new KafkaNodes.Ports("127.0.0.1", 9094, 9095), new KafkaNodes.Ports("127.0.0.1", 9096, 9097)));

    @Test
    void nodesGivenAddressesOfTheirOwnAreReachedThereByClientsAndByEachOther() {
        KafkaNodes apart = THREE.on(List.of("10.77.0.11", "10.77.0.12", "10.77.0.13"));
        assertEquals("10.77.0.11:9092,10.77.0.12:9094,10.77.0.13:9096", apart.bootstrapServers());
        assertEquals("1@10.77.0.11:9093,2@10.77.0.12:9095,3@10.77.0.13:9097", apart.voters());
        assertEquals(THREE.clusterId(), apart.clusterId());
    }

    @Test
    void whatACommandLineCarriesReadsBackTheSame() {
        KafkaNodes apart = THREE.on(List.of("10.77.0.11", "10.77.0.12", "10.77.0.13"));
        assertEquals(apart, KafkaNodes.parse(apart.describe()));
        assertEquals(THREE, KafkaNodes.parse(THREE.describe()));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> KafkaNodes.parse("cluster/9092:9093"));
        assertThrows(IllegalArgumentException.class, () -> KafkaNodes.parse("no-slash"));
        assertThrows(IllegalArgumentException.class, () -> THREE.on(List.of("10.77.0.11")));
    }
}
