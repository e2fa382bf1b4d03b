package io.un0.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.un0.kafka.MeshAcls;
import io.un0.proto.MeshTopic;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every overlay of {@code deploy/k8s} rendered by {@code kubectl kustomize}, read into Kubernetes' object model with
 * no field it does not know, and held against the code: the topics as {@link MeshTopic} makes them, the Kafka users'
 * ACLs as {@link MeshAcls} grants them, every configuration key a Deployment sets documented in its app's
 * CONFIGURATION.md, ports and probe paths as the apps serve them, and KEDA scaling each pool on its own topic.
 */
class KubernetesManifestsTest {

    private static final Path HOME = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize();
    /** Unknown fields are looked for by {@link #noUnknownFields}: fabric8's models take them in rather than fail. */
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern DOCUMENTED_KEY = Pattern.compile("^\\| (`[^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z0-9.<>_-]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", HOME.resolve("deploy/k8s/overlays").resolve(overlay).toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("skipped: kubectl is not installed (scripts/setup.sh installs Debian's): " + e.getMessage());
            throw e;
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize took over a minute");
        assertEquals(0, kubectl.exitValue(), out);
        List<JsonNode> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (docs.hasNext()) {
                JsonNode o = docs.next();
                if (o != null && !o.isNull() && !o.isEmpty()) {
                    objects.add(o);
                }
            }
        }
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-kind", "production"})
    void everyCoreObjectIsReadByKubernetesOwnModelWithNoUnknownField(String overlay) throws Exception {
        Map<String, Class<?>> models = Map.of("Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class,
                "PodDisruptionBudget", PodDisruptionBudget.class);
        List<JsonNode> objects = render(overlay);
        Set<String> kinds = objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "PodDisruptionBudget",
                "ScaledObject", "Service", "TriggerAuthentication")), kinds);
        for (JsonNode o : objects) {
            assertEquals("un0", o.path("metadata").path("namespace").asText(), o.path("metadata").path("name") + " in the mesh's namespace");
            Class<?> model = models.get(o.path("kind").asText());
            if (model != null) {
                noUnknownFields(YAML.treeToValue(o, model), o.path("kind").asText() + "/" + o.path("metadata").path("name").asText());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-kind", "production"})
    void everyTopicTheCodeCreatesIsAKafkaTopicWithTheSameSettingsAndReplicasTheClusterHas(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        int nodes = ofKind(objects, "KafkaNodePool").stream().mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        Map<String, JsonNode> topics = new HashMap<>();
        ofKind(objects, "KafkaTopic").forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t.path("spec")));
        List<MeshTopic> expected = new ArrayList<>(MeshTopic.FIXED);
        pools(objects).values().forEach(pool -> expected.addAll(MeshTopic.assignmentLanes(pool)));
        assertEquals(expected.stream().map(MeshTopic::name).collect(Collectors.toSet()), topics.keySet());
        for (MeshTopic m : expected) {
            JsonNode t = topics.get(m.name());
            assertEquals(m.partitions(), t.path("partitions").asInt(), m.name());
            assertEquals(m.compacted() ? "compact" : "delete", t.path("config").path("cleanup.policy").asText(), m.name());
            assertEquals(m.retention().toMillis(), t.path("config").path("retention.ms").asLong(), m.name());
            assertEquals(m.retentionBytes(), t.path("config").path("retention.bytes").asLong(-1), m.name());
            int replicas = t.path("replicas").asInt();
            int inSync = t.path("config").path("min.insync.replicas").asInt();
            assertTrue(replicas <= nodes && inSync <= replicas, m.name() + ": " + replicas + " replicas, " + inSync + " in sync on " + nodes + " nodes");
            if (nodes >= 3) {
                assertEquals(3, replicas, m.name());
                assertEquals(2, inSync, m.name() + ": a write survives one broker lost");
            }
        }
        JsonNode config = ofKind(objects, "Kafka").get(0).path("spec").path("kafka").path("config");
        assertFalse(config.path("auto.create.topics.enable").asBoolean(true), "topics come from the Topic Operator only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-kind", "production"})
    void eachKafkaUserHasExactlyTheAclsOfItsKindOfPrincipal(String overlay) throws Exception {
        Map<String, MeshAcls.Role> roles = Map.of("un0-gateway", MeshAcls.Role.GATEWAY, "un0-scheduler", MeshAcls.Role.SCHEDULER,
                "un0-worker", MeshAcls.Role.WORKER, "tenant-a-submitter", MeshAcls.Role.SUBMITTER);
        List<JsonNode> users = ofKind(render(overlay), "KafkaUser");
        assertEquals(roles.keySet(), users.stream().map(u -> u.path("metadata").path("name").asText()).collect(Collectors.toSet()));
        for (JsonNode u : users) {
            String name = u.path("metadata").path("name").asText();
            assertEquals("scram-sha-512", u.path("spec").path("authentication").path("type").asText(), name);
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : u.path("spec").path("authorization").path("acls")) {
                JsonNode r = acl.path("resource");
                for (JsonNode op : acl.path("operations")) {
                    granted.add(r.path("type").asText() + " " + r.path("name").asText() + " " + r.path("patternType").asText() + " "
                            + op.asText().toLowerCase(Locale.ROOT));
                }
            }
            Set<String> code = new TreeSet<>();
            for (AclBinding b : MeshAcls.of(roles.get(name), name)) {
                // Strimzi spells Kafka's TRANSACTIONAL_ID transactionalId.
                String type = b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID ? "transactionalId" : b.pattern().resourceType().name().toLowerCase(Locale.ROOT);
                code.add(type + " " + b.pattern().name() + " "
                        + (b.pattern().patternType() == PatternType.PREFIXED ? "prefix" : "literal") + " " + b.entry().operation().name().toLowerCase(Locale.ROOT));
            }
            assertEquals(code, granted, name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-kind", "production"})
    void everyKeyADeploymentSetsIsOneItsAppDocumentsAndPortsAndProbesAreTheAppsOwn(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, ConfigMap> configMaps = new HashMap<>();
        for (JsonNode c : ofKind(objects, "ConfigMap")) {
            configMaps.put(c.path("metadata").path("name").asText(), YAML.treeToValue(c, ConfigMap.class));
        }
        int apps = 0;
        for (JsonNode d : ofKind(objects, "Deployment")) {
            Deployment deployment = YAML.treeToValue(d, Deployment.class);
            Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            String module = c.getImage().startsWith("un0/") ? c.getImage().substring(4, c.getImage().indexOf(':')) : null;
            if (module == null) {
                continue; // the collector: not ours
            }
            apps++;
            List<Pattern> documented = documentedKeys(module);
            Set<String> keys = new HashSet<>();
            c.getEnv().stream().map(EnvVar::getName).forEach(keys::add);
            c.getEnvFrom().forEach(from -> keys.addAll(configMaps.get(from.getConfigMapRef().getName()).getData().keySet()));
            Set<String> placeholders = mountedProperties(deployment, configMaps, documented, module);
            for (String env : keys) {
                assertTrue(placeholders.contains(env) || documented.stream().anyMatch(p -> p.matcher(env).matches()),
                        module + " sets " + env + ", which its CONFIGURATION.md does not document");
            }
            Properties app = applicationProperties(module);
            Map<String, Integer> ports = c.getPorts().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));
            assertEquals(Integer.valueOf(app.getProperty("quarkus.http.port")), ports.get("http"), module + " HTTP port");
            if (ports.containsKey("grpc")) {
                assertEquals(Integer.valueOf(app.getProperty("quarkus.grpc.server.port")), ports.get("grpc"), module + " gRPC port");
            }
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), module);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), module);
            assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal(), module);
            assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal(), module);
        }
        assertTrue(apps >= 3, "gateway, scheduler and at least one worker pool");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-kind", "production"})
    void kedaScalesEachPoolOnItsOwnTopicAndGroupWithinItsPartitions(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, String> poolOfDeployment = pools(objects);
        List<JsonNode> scaled = ofKind(objects, "ScaledObject");
        assertEquals(poolOfDeployment.keySet(), scaled.stream().map(s -> s.path("spec").path("scaleTargetRef").path("name").asText()).collect(Collectors.toSet()));
        for (JsonNode s : scaled) {
            String pool = poolOfDeployment.get(s.path("spec").path("scaleTargetRef").path("name").asText());
            List<JsonNode> triggers = new ArrayList<>();
            s.path("spec").path("triggers").forEach(t -> triggers.add(t.path("metadata")));
            assertEquals(MeshTopic.assignmentLanes(pool).stream().map(MeshTopic::name).toList(),
                    triggers.stream().map(t -> t.path("topic").asText()).toList(), "both lanes of the pool, interactive first");
            triggers.forEach(t -> assertEquals("un0-pool-" + pool, t.path("consumerGroup").asText()));
            assertTrue(MeshTopic.assignmentLanes(pool).stream().allMatch(lane -> s.path("spec").path("maxReplicaCount").asInt() <= lane.partitions()),
                    "no more workers than partitions");
        }
    }

    /** A Deployment's mounted Quarkus properties: every key documented; returns the environment variables they name. */
    private static Set<String> mountedProperties(Deployment d, Map<String, ConfigMap> configMaps, List<Pattern> documented, String module) throws IOException {
        Set<String> named = new HashSet<>();
        for (var volume : d.getSpec().getTemplate().getSpec().getVolumes()) {
            if (volume.getConfigMap() == null) {
                continue;
            }
            String text = configMaps.get(volume.getConfigMap().getName()).getData().get("application.properties");
            if (text == null) {
                continue;
            }
            Properties p = new Properties();
            p.load(new StringReader(text));
            for (String key : p.stringPropertyNames()) {
                String env = key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
                assertTrue(documented.stream().anyMatch(pattern -> pattern.matcher(env).matches()), module + " is given " + key + ", undocumented");
                Matcher m = PLACEHOLDER.matcher(p.getProperty(key));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        return named;
    }

    /** The keys the app's CONFIGURATION.md documents (the workers' shared ones too), as environment variable patterns. */
    private static List<Pattern> documentedKeys(String module) throws IOException {
        List<String> docs = new ArrayList<>(List.of(module));
        if (module.startsWith("worker-")) {
            docs.add("worker-runtime");
        }
        List<Pattern> keys = new ArrayList<>();
        for (String doc : docs) {
            Matcher row = DOCUMENTED_KEY.matcher(Files.readString(HOME.resolve(doc).resolve("CONFIGURATION.md")));
            while (row.find()) {
                Matcher key = BACKTICKED.matcher(row.group(1));
                while (key.find()) {
                    String env = key.group(1).toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
                    keys.add(Pattern.compile(Pattern.quote(env).replaceAll("<[A-Z_]+>", "\\\\E[A-Z0-9_]+\\\\Q")));
                }
            }
        }
        assertFalse(keys.isEmpty(), module + " documents no key");
        return keys;
    }

    private static Properties applicationProperties(String module) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(HOME.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** Each worker Deployment's pool, as its app's configuration names it. */
    private static Map<String, String> pools(List<JsonNode> objects) throws IOException {
        Map<String, String> pools = new HashMap<>();
        for (JsonNode d : ofKind(objects, "Deployment")) {
            String image = d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText();
            if (image.startsWith("un0/worker-")) {
                pools.put(d.path("metadata").path("name").asText(), applicationProperties(image.substring(4, image.indexOf(':'))).getProperty("un0.worker.pool"));
            }
        }
        return pools;
    }

    /** fabric8's models keep what they do not know in additionalProperties: anything there is a field Kubernetes lacks. */
    private static void noUnknownFields(Object o, String path) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> noUnknownFields(v, path + "." + k));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object v : list) {
                noUnknownFields(v, path + "[" + i++ + "]");
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        fail(path + ": fields Kubernetes does not know: " + extra.keySet());
                    }
                } else {
                    noUnknownFields(value, path + "." + m.getName().substring(3));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(path + "." + m.getName(), e);
            }
        }
    }
}
