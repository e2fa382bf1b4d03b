package io.un0.gateway;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * This gateway instance's name. Jobs carry it as reply_to, so that with several instances behind one address each
 * result reaches the instance whose caller waits for it.
 */
@ApplicationScoped
public class GatewayInstance {

    private final String id;

    public GatewayInstance(GatewayConfig config) {
        this.id = config.instanceId().orElse("gw-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }
}
