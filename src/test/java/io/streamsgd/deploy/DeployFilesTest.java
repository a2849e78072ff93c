package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsgd.cli.StreamSgd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The deployment files agree with each other and with the jar: compose mounts exist, images are
 * pinned, every command given to the image is a valid command line of the CLI, the Dockerfile and
 * the Jib profile build the same image, and ports, paths and names line up across compose,
 * Kubernetes and the service configuration. Checks that need target/streamsgd.jar are in
 * DockerImageIT (run by failsafe after package).
 */
class DeployFilesTest {
    private static final String OUR_IMAGE = "streamsgd";

    private static Dockerfile dockerfile() {
        return Dockerfile.parse(Repo.read("deploy/Dockerfile"));
    }

    private static JsonNode composeServices() {
        return Repo.yaml("deploy/docker-compose.yml").path("services");
    }

    private static Properties composeProperties() {
        return Repo.properties(Repo.read("deploy/compose/streamsgd.properties"));
    }

    /**
     * Parses {@code args} as picocli would when the jar's main runs them, without running
     * anything: unknown subcommands, unknown options and missing required parameters fail.
     *
     * @return null when valid, else why not
     */
    static String commandLineProblem(List<String> args) {
        if (args.isEmpty()) {
            return "no command";
        }
        try {
            StreamSgd.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
        if (!StreamSgd.commandLine().getSubcommands().containsKey(args.get(0))) {
            return "not a subcommand: " + args.get(0);
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Test
    void everyPathMountedInComposeShouldExist() {
        Set<String> namedVolumes = new HashSet<>();
        Repo.yaml("deploy/docker-compose.yml").path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        List<String> checked = new ArrayList<>();
        composeServices().fields().forEachRemaining(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    Path path = Repo.path("deploy").resolve(source).normalize();
                    assertThat(path).as(service.getKey() + " mounts " + source).exists();
                    checked.add(source);
                } else {
                    assertThat(namedVolumes).as(service.getKey() + " uses named volume " + source).contains(source);
                }
            }
            JsonNode build = service.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = Repo.path("deploy").resolve(build.path("context").asText()).normalize();
                assertThat(context).as(service.getKey() + " build context").isEqualTo(Repo.ROOT);
                assertThat(context.resolve(build.path("dockerfile").asText())).as(service.getKey() + " Dockerfile").isRegularFile();
            }
        });
        assertThat(checked).as("bind mounts checked").contains(
                "./compose/streamsgd.properties", "./prometheus", "../grafana/provisioning", "../grafana/dashboards");
    }

    @Test
    void thirdPartyImagesShouldBePinnedToAVersion() {
        Pattern versionTag = Pattern.compile("^[^:@]+:(v?\\d+(\\.\\d+)*[\\w.-]*)$");
        composeServices().fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey() + " image").isNotBlank();
            if (image.startsWith(OUR_IMAGE + ":")) {
                assertThat(service.getValue().has("build")).as(service.getKey() + " builds our image rather than pulling it").isTrue();
                return;
            }
            assertThat(image).as(service.getKey() + " image has a version tag").matches(versionTag);
        });
        // eclipse-temurin:17-jre follows Java 17 patch releases on purpose (security fixes); it is
        // still pinned to a major version and never "latest".
        String base = dockerfile().last("FROM").arguments().split("\\s+")[0];
        assertThat(base).as("Dockerfile FROM").isEqualTo("eclipse-temurin:17-jre");
    }

    @Test
    void dockerfileEntrypointShouldRunTheJar() {
        List<String> entrypoint = dockerfile().last("ENTRYPOINT").execForm();
        assertThat(entrypoint).as("ENTRYPOINT").startsWith("java").endsWith("-jar", "/app/streamsgd.jar");
    }

    @Test
    void everyCommandGivenToTheImageShouldBeAValidCommandLineOfTheJar() {
        // Every place that hands arguments to the image's ENTRYPOINT (java -jar streamsgd.jar):
        // a renamed command or option in the CLI breaks them all at once, and only at run time.
        Map<String, List<String>> commands = new java.util.LinkedHashMap<>();
        commands.put("Dockerfile CMD", dockerfile().last("CMD").execForm());
        composeServices().fields().forEachRemaining(service -> {
            if (service.getValue().path("image").asText().startsWith(OUR_IMAGE + ":")) {
                JsonNode command = service.getValue().path("command");
                assertThat(command.isArray()).as(service.getKey() + " command in exec (list) form").isTrue();
                commands.put("compose service " + service.getKey(), strings(command));
            }
        });
        for (JsonNode doc : Repo.yamlDocuments("deploy/kubernetes/statefulset.yaml")) {
            commands.put("StatefulSet args", strings(doc.path("spec").path("template").path("spec")
                    .path("containers").get(0).path("args")));
        }
        assertThat(commands).containsKeys("compose service streamsgd", "compose service producer", "StatefulSet args");
        Map<String, String> problems = new java.util.LinkedHashMap<>();
        commands.forEach((where, args) -> {
            String problem = commandLineProblem(args);
            if (problem != null) {
                problems.put(where + " " + args, problem);
            }
        });
        assertThat(problems).as("command lines the CLI rejects (its subcommands now: "
                + StreamSgd.commandLine().getSubcommands().keySet() + ")").isEmpty();
    }

    @Test
    void composeKafkaShouldBeAValidSingleNodeKraftConfiguration() {
        // The apache/kafka image turns every KAFKA_* variable into a server property (prefix
        // dropped, lower-cased, "___" -> "-", "__" -> "_", "_" -> ".") and, once any is set,
        // uses no default server.properties: the broker's own validation is the check.
        JsonNode broker = composeServices().path("kafka");
        assertThat(broker.path("image").asText()).isEqualTo("apache/kafka:4.3.1");
        Properties props = new Properties();
        broker.path("environment").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("KAFKA_")) {
                String key = e.getKey().substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT)
                        .replace("___", "-").replace("__", "\0").replace("_", ".").replace("\0", "_");
                props.setProperty(key, e.getValue().asText());
            }
        });
        Set<String> known = kafka.server.KafkaConfig.configDef().names();
        assertThat(props.stringPropertyNames()).as("broker properties from KAFKA_* variables").isSubsetOf(known);
        assertThatNoException().as("broker configuration " + props)
                .isThrownBy(() -> kafka.server.KafkaConfig.fromProps(props, false));
        assertThat(props).containsEntry("process.roles", "broker,controller")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
        // The image refuses to start in KRaft mode without CLUSTER_ID; it must be a Kafka Uuid.
        String clusterId = broker.path("environment").path("CLUSTER_ID").asText();
        assertThatNoException().isThrownBy(() -> org.apache.kafka.common.Uuid.fromString(clusterId));
        // Clients in the compose network use the advertised PLAINTEXT listener.
        assertThat(props.getProperty("advertised.listeners")).contains("PLAINTEXT://kafka:9092");
        assertThat(composeProperties().getProperty("bootstrap.servers")).isEqualTo("kafka:9092");
    }

    @Test
    void onlyTheServiceShouldKeepTheImageHealthcheck() {
        // The Dockerfile's HEALTHCHECK polls /health; another command run from the same image
        // (the producer) serves none and would be reported unhealthy forever.
        assertThat(dockerfile().last("HEALTHCHECK").arguments()).contains("/health");
        composeServices().fields().forEachRemaining(service -> {
            if (service.getValue().path("image").asText().startsWith(OUR_IMAGE + ":")) {
                JsonNode command = service.getValue().path("command");
                boolean isService = command.size() > 0 && command.get(0).asText().equals("run");
                assertThat(service.getValue().path("healthcheck").path("disable").asBoolean())
                        .as(service.getKey() + " healthcheck disabled").isEqualTo(!isService);
            }
        });
    }

    @Test
    void dockerfilePortsAndPathsShouldMatchTheServiceConfiguration() {
        Dockerfile dockerfile = dockerfile();
        Properties config = composeProperties();
        String port = config.getProperty("metrics.port");
        assertThat(config.getProperty("metrics.host")).as("metrics.host in a container").isEqualTo("0.0.0.0");
        assertThat(dockerfile.last("EXPOSE").arguments()).isEqualTo(port);
        assertThat(dockerfile.last("HEALTHCHECK").arguments()).contains("http://127.0.0.1:" + port + "/health");
        assertThat(dockerfile.last("VOLUME").arguments()).isEqualTo(config.getProperty("state.dir"));

        Map<String, String> copies = new HashMap<>();
        dockerfile.copies().forEach(c -> c.getKey().forEach(source -> copies.put(source, c.getValue())));
        assertThat(copies).containsEntry("target/streamsgd.jar", "/app/streamsgd.jar");
        // CMD's --config is the file the image ships and compose mounts over.
        List<String> cmd = dockerfile.last("CMD").execForm();
        String configPath = cmd.get(cmd.indexOf("--config") + 1);
        assertThat(copies).containsEntry("deploy/compose/streamsgd.properties", configPath);
        JsonNode streamsgd = composeServices().path("streamsgd");
        assertThat(strings(streamsgd.path("volumes")))
                .contains("./compose/streamsgd.properties:" + configPath + ":ro")
                .contains("streamsgd-state:" + config.getProperty("state.dir"));
        assertThat(strings(streamsgd.path("ports"))).containsExactly(port + ":" + port);
        assertThat(config.getProperty("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(strings(composeServices().path("producer").path("command"))).contains("kafka:9092");
    }

    @Test
    void dockerBuildContextShouldContainEveryCopySource() {
        // .dockerignore is an allow-list ("*" then "!path"); a COPY of a path it excludes fails
        // only at `docker build` time, which CI cannot run here.
        List<String> lines = Repo.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines).first().isEqualTo("*");
        for (Map.Entry<List<String>, String> copy : dockerfile().copies()) {
            for (String source : copy.getKey()) {
                assertThat(lines).as(".dockerignore lets " + source + " into the build context").contains("!" + source);
                if (!source.startsWith("target/")) {
                    assertThat(Repo.path(source)).as("COPY source").isRegularFile();
                }
            }
        }
    }

    @Test
    void jibProfileShouldBuildTheSameImageAsTheDockerfile() throws Exception {
        // Parsing the pom is instant; resolving the profile with a Maven subprocess would cost a
        // minute and need the network. The plugin resolution itself was checked once by hand
        // (mvn -P jib compile jib:buildTar fails only on pulling the base image here).
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Repo.path("pom.xml").toFile());
        Element jib = null;
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("jib".equals(text(profile, "id"))) {
                NodeList plugins = profile.getElementsByTagName("plugin");
                for (int j = 0; j < plugins.getLength(); j++) {
                    Element plugin = (Element) plugins.item(j);
                    if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                        jib = plugin;
                    }
                }
            }
        }
        assertThat(jib).as("profile jib with jib-maven-plugin").isNotNull();
        assertThat(text(jib, "groupId")).isEqualTo("com.google.cloud.tools");
        assertThat(text(jib, "version")).as("pinned plugin version").matches("\\d+\\.\\d+\\.\\d+");

        Dockerfile dockerfile = dockerfile();
        Element configuration = child(jib, "configuration");
        assertThat(text(child(configuration, "from"), "image")).isEqualTo(dockerfile.last("FROM").arguments());
        assertThat(text(child(configuration, "to"), "image")).isEqualTo("streamsgd:latest");
        Element container = child(configuration, "container");
        String mainClass = text(container, "mainClass");
        if (mainClass.equals("${main.class}")) {
            mainClass = text(child(pom.getDocumentElement(), "properties"), "main.class");
        }
        assertThat(mainClass).isEqualTo(StreamSgd.class.getName());
        assertThat(texts(child(container, "args"), "arg")).isEqualTo(dockerfile.last("CMD").execForm());
        assertThat(texts(child(container, "ports"), "port")).containsExactly(dockerfile.last("EXPOSE").arguments());
        assertThat(texts(child(container, "volumes"), "volume")).containsExactly(dockerfile.last("VOLUME").arguments());
        assertThat(text(container, "user")).isEqualTo(dockerfile.last("USER").arguments());
        assertThat(text(container, "workingDirectory")).isEqualTo(dockerfile.last("WORKDIR").arguments());
        assertThat(text(child(container, "environment"), "JAVA_TOOL_OPTIONS"))
                .isEqualTo(dockerfile.env().get("JAVA_TOOL_OPTIONS"));

        // The default configuration and the writable state directory come from extra directories.
        Element extra = child(configuration, "extraDirectories");
        List<String> froms = new ArrayList<>();
        NodeList paths = child(extra, "paths").getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element path = (Element) paths.item(i);
            String from = text(path, "from").replace("${project.basedir}/", "");
            String into = text(path, "into");
            froms.add(from + " -> " + into);
            assertThat(Repo.path(from)).as("Jib extra directory").isDirectory();
        }
        assertThat(froms).contains("deploy/compose -> /etc/streamsgd", "deploy/jib -> /");
        assertThat(Repo.path("deploy/jib" + dockerfile.last("VOLUME").arguments())).isDirectory();
    }

    @Test
    void kubernetesManifestsShouldBeConsistent() {
        Map<String, JsonNode> byKindAndName = new HashMap<>();
        for (String file : List.of("statefulset.yaml", "service.yaml", "configmap.yaml")) {
            for (JsonNode doc : Repo.yamlDocuments("deploy/kubernetes/" + file)) {
                assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
                byKindAndName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
            }
        }
        JsonNode sts = byKindAndName.get("StatefulSet/streamsgd");
        JsonNode service = byKindAndName.get("Service/streamsgd");
        JsonNode configMap = byKindAndName.get("ConfigMap/streamsgd-config");
        JsonNode envMap = byKindAndName.get("ConfigMap/streamsgd-env");
        assertThat(sts).as("StatefulSet streamsgd").isNotNull();
        assertThat(service).as("Service streamsgd").isNotNull();
        assertThat(configMap).as("ConfigMap streamsgd-config").isNotNull();
        assertThat(envMap).as("ConfigMap streamsgd-env").isNotNull();

        Properties config = Repo.properties(configMap.path("data").path("streamsgd.properties").asText());
        String metricsPort = config.getProperty("metrics.port");
        assertThat(config.getProperty("metrics.host")).isEqualTo("0.0.0.0");

        JsonNode spec = sts.path("spec");
        JsonNode template = spec.path("template");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("serviceName").asText()).isEqualTo(service.path("metadata").path("name").asText());
        assertThat(service.path("spec").path("clusterIP").asText()).as("headless").isEqualTo("None");
        JsonNode podLabels = template.path("metadata").path("labels");
        spec.path("selector").path("matchLabels").fields().forEachRemaining(l ->
                assertThat(podLabels.path(l.getKey()).asText()).as("pod label " + l.getKey()).isEqualTo(l.getValue().asText()));
        service.path("spec").path("selector").fields().forEachRemaining(l ->
                assertThat(podLabels.path(l.getKey()).asText()).as("service selects pod label " + l.getKey()).isEqualTo(l.getValue().asText()));

        JsonNode annotations = template.path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").isTextual()).as("port annotation is a string").isTrue();
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(metricsPort);
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");

        JsonNode podSpec = template.path("spec");
        assertThat(podSpec.path("containers")).hasSize(1);
        JsonNode container = podSpec.path("containers").get(0);
        assertThat(container.path("ports")).hasSize(1);
        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(metricsPort);
        String portName = container.path("ports").get(0).path("name").asText();
        assertThat(service.path("spec").path("ports").get(0).path("port").asText()).isEqualTo(metricsPort);
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo(portName);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe + " path").isEqualTo("/health");
            assertThat(get.path("port").asText()).as(probe + " port").isIn(portName, metricsPort);
        }
        for (String kind : List.of("requests", "limits")) {
            assertThat(container.path("resources").path(kind).path("cpu").asText()).as("resources." + kind + ".cpu").isNotBlank();
            assertThat(container.path("resources").path(kind).path("memory").asText()).as("resources." + kind + ".memory").isNotBlank();
        }

        // The state dir of the configuration is the persistent volume, the --config file is the ConfigMap.
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        String stateVolume = mounts.get(config.getProperty("state.dir"));
        assertThat(stateVolume).as("mount at state.dir").isNotNull();
        List<String> claims = new ArrayList<>();
        spec.path("volumeClaimTemplates").forEach(c -> claims.add(c.path("metadata").path("name").asText()));
        assertThat(claims).containsExactly(stateVolume);
        List<String> args = strings(container.path("args"));
        String configFile = args.get(args.indexOf("--config") + 1);
        Path configDir = Path.of(configFile).getParent();
        String configVolume = mounts.get(configDir.toString());
        assertThat(configVolume).as("mount of " + configDir).isNotNull();
        JsonNode volume = null;
        for (JsonNode v : podSpec.path("volumes")) {
            if (configVolume.equals(v.path("name").asText())) {
                volume = v;
            }
        }
        assertThat(volume).as("volume " + configVolume).isNotNull();
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo("streamsgd-config");
        assertThat(configMap.path("data").has(Path.of(configFile).getFileName().toString())).isTrue();
        assertThat(container.path("envFrom").get(0).path("configMapRef").path("name").asText()).isEqualTo("streamsgd-env");

        // The image's user, so the volume (fsGroup) is writable and runAsNonRoot holds.
        String uid = dockerfile().last("USER").arguments().split(":")[0];
        assertThat(podSpec.path("securityContext").path("runAsUser").asText()).isEqualTo(uid);
        assertThat(podSpec.path("securityContext").path("fsGroup").asText()).isEqualTo(uid);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        List<String> values = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                values.add(e.getTextContent().strip());
            }
        }
        return values;
    }
}
