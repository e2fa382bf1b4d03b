package io.un0.kafka;

/**
 * A principal of the mesh's broker, authenticated with SASL/SCRAM-SHA-512: one per service (gateway, scheduler,
 * worker) and per batch submitter, each allowed only its topics by the broker's ACLs ({@link MeshAcls}).
 */
public record KafkaLogin(String username, String password) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    public KafkaLogin {
        if (username.isBlank() || password.isBlank() || username.contains("\"") || password.contains("\"")) {
            throw new IllegalArgumentException("a Kafka login needs a user name and a password, neither with '\"'");
        }
    }

    /** The JAAS line Kafka's clients and broker take for this login. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "KafkaLogin[" + username + "]";
    }
}
