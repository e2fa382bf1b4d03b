package io.un0.broker;

import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaLogin;
import io.un0.kafka.MeshAcls;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 12, the Kafka side: a broker that takes only SCRAM-authenticated principals, each allowed only its topics. A
 * batch submitter writes submissions but not jobs; a wrong password is refused; a service writes its own topics.
 */
class SecuredLocalKafkaTest {

    private static final KafkaLogin ADMIN = new KafkaLogin("admin", "admin-secret");
    private static final KafkaLogin SUBMITTER = new KafkaLogin("submitter-a", "submitter-secret");
    private static final KafkaLogin GATEWAY = new KafkaLogin("gateway", "gateway-secret");

    @Test
    void principalsMayDoOnlyWhatTheirAclsGrant() throws Exception {
        Path data = Files.createTempDirectory("un0-kafka-secured");
        try (LocalKafka kafka = LocalKafka.startSecured(data, KafkaNodes.claim(1, List.of(), List.of()), 1, ADMIN)) {
            List<AclBinding> acls = new ArrayList<>(MeshAcls.of(MeshAcls.Role.SUBMITTER, SUBMITTER.username()));
            acls.addAll(MeshAcls.of(MeshAcls.Role.GATEWAY, GATEWAY.username()));
            kafka.addUsers(ADMIN, List.of(SUBMITTER, GATEWAY), acls);
            MeshTopics.create(KafkaAccess.as(kafka.bootstrapServers(), ADMIN), MeshTopic.FIXED);

            try (KafkaProducer<String, byte[]> submitter = MeshClients.producer(KafkaAccess.as(kafka.bootstrapServers(), SUBMITTER), "submitter", Duration.ofSeconds(10))) {
                submitter.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "b", new byte[] {1})).get();
                ExecutionException denied = assertThrows(ExecutionException.class,
                        () -> submitter.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "j", new byte[] {1})).get());
                assertInstanceOf(TopicAuthorizationException.class, denied.getCause(), "a submitter may not write jobs");
            }
            try (KafkaProducer<String, byte[]> gateway = MeshClients.producer(KafkaAccess.as(kafka.bootstrapServers(), GATEWAY), "gateway", Duration.ofSeconds(10))) {
                assertEquals(MeshTopic.JOBS.name(), gateway.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "j", new byte[] {1})).get().topic());
                // Services create the topics they need; here they exist already, which is no error.
                MeshTopics.create(KafkaAccess.as(kafka.bootstrapServers(), GATEWAY), MeshTopic.FIXED);
            }
            KafkaLogin wrong = new KafkaLogin(SUBMITTER.username(), "guessed");
            try (KafkaProducer<String, byte[]> impostor = MeshClients.producer(KafkaAccess.as(kafka.bootstrapServers(), wrong), "impostor", Duration.ofSeconds(10))) {
                Exception refused = assertThrows(Exception.class,
                        () -> impostor.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "b", new byte[] {1})).get());
                Throwable cause = refused instanceof ExecutionException ? refused.getCause() : refused;
                assertInstanceOf(SaslAuthenticationException.class, cause, String.valueOf(cause));
            }
        }
    }
}
