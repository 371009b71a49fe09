package io.marty.observability.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Everything under deploy/ (except deploy/slo/, checked by the slo module) passes its real tool where
 * one is installed (promtool, amtool) and a structural check where none can run here (docker compose,
 * Kubernetes, the OTel Collector, Grafana provisioning): YAML parses, images are pinned, referenced
 * files, services and ports exist, and the environment variables are ones the code reads.
 */
@SuppressWarnings("unchecked")
class DeployStackTest {
    private static final Path DEPLOY = Tools.REPO.resolve("deploy");
    private static final Pattern PINNED = Pattern.compile("[^:@]+(:[a-z]*[0-9][^:]*|@sha256:[0-9a-f]{64})");

    private static Object yaml(Path p) throws IOException {
        return new Yaml().load(Files.readString(p));
    }

    private static List<Map<String, Object>> yamlDocs(Path p) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : new Yaml().loadAll(Files.readString(p))) {
            if (o != null) {
                out.add((Map<String, Object>) o);
            }
        }
        return out;
    }

    private static Map<String, Object> map(Object o, String key) {
        return (Map<String, Object>) ((Map<String, Object>) o).get(key);
    }

    private static List<Object> list(Object o, String key) {
        return (List<Object>) ((Map<String, Object>) o).get(key);
    }

    /** Every environment variable name some main source file of the project reads as a literal. */
    private static boolean readByTheCode(String env) throws IOException {
        try (Stream<Path> files = Files.walk(Tools.REPO)) {
            return files.filter(
                            p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .anyMatch(p -> {
                        try {
                            return Files.readString(p).contains("\"" + env + "\"");
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
    }

    @Test
    void prometheusConfigsPassPromtool() throws Exception {
        Path prom = DEPLOY.resolve("prometheus");
        for (String config : List.of("prometheus.yml", "prometheus-compose.yml")) {
            ExternalTools.Result r = ExternalTools.run(prom, 60, "promtool", "check", "config", "--lint-fatal", config);
            assertThat(r.exitCode()).as(config + ":\n" + r.output()).isZero();
            assertThat(r.output()).contains("mmf-alerts.rules.yml").contains("shop.rules.yml");
        }
        // Debian's promtool has no Kubernetes discovery: check the rest with static targets in its place
        Path tmp = Files.createTempDirectory("mmf-k8s-prom");
        String k8s = Files.readString(prom.resolve("prometheus-kubernetes.yml"));
        assertThat(k8s).contains("- role: pod").contains("- role: endpoints");
        String swapped = k8s.replace("kubernetes_sd_configs:", "static_configs:")
                .replace("- role: pod", "- targets: ['127.0.0.1:1']")
                .replace("- role: endpoints", "- targets: ['127.0.0.1:1']");
        Files.writeString(tmp.resolve("prometheus.yml"), swapped);
        Files.createDirectories(tmp.resolve("rules"));
        try (Stream<Path> rules = Files.list(prom.resolve("rules"))) {
            for (Path r : rules.toList()) {
                Files.copy(r, tmp.resolve("rules").resolve(r.getFileName()));
            }
        }
        ExternalTools.Result r =
                ExternalTools.run(tmp, 60, "promtool", "check", "config", "--lint-fatal", "prometheus.yml");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void everyRuleFileAndItsTestsPassPromtool() throws Exception {
        Path rules = DEPLOY.resolve("prometheus/rules");
        List<Path> tests;
        try (Stream<Path> s = Files.list(rules)) {
            tests = s.filter(p -> p.toString().endsWith(".rules.test.yml"))
                    .sorted()
                    .toList();
        }
        assertThat(tests).extracting(p -> p.getFileName().toString()).contains("mmf-alerts.rules.test.yml");
        for (Path t : tests) {
            Path ruleFile = rules.resolve(t.getFileName().toString().replace(".rules.test.yml", ".rules.yml"));
            ExternalTools.Result c = ExternalTools.run(
                    rules,
                    60,
                    "promtool",
                    "check",
                    "rules",
                    ruleFile.getFileName().toString());
            assertThat(c.exitCode()).as(c.output()).isZero();
            ExternalTools.Result r = ExternalTools.run(
                    rules, 300, "promtool", "test", "rules", t.getFileName().toString());
            assertThat(r.exitCode()).as(t + ":\n" + r.output()).isZero();
        }
    }

    @Test
    void alertmanagerConfigsPassAmtoolAndRouteBySeverityAndTeam() throws Exception {
        Path am = DEPLOY.resolve("alertmanager");
        for (String f : List.of("alertmanager.yml", "alertmanager-stack.yml")) {
            ExternalTools.Result r = ExternalTools.run(am, 60, "amtool", "check-config", f);
            assertThat(r.exitCode()).as(f + ":\n" + r.output()).isZero();
        }
        Map<String, String> expected = Map.of(
                "severity=page team=payments", "payments-page",
                "severity=page team=platform", "platform-page",
                "severity=ticket team=payments", "payments-ticket",
                "severity=ticket team=search", "platform-ticket",
                "alertname=Watchdog", "default");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(
                    "amtool",
                    "config",
                    "routes",
                    "test",
                    "--config.file=alertmanager-stack.yml",
                    "--verify.receivers=" + e.getValue()));
            cmd.addAll(List.of(e.getKey().split(" ")));
            ExternalTools.Result r = ExternalTools.run(am, 60, cmd.toArray(new String[0]));
            assertThat(r.exitCode()).as(e.getKey() + " → " + r.output()).isZero();
        }
        Map<String, Object> doc = (Map<String, Object>) yaml(am.resolve("alertmanager-stack.yml"));
        List<Object> inhibit = (List<Object>) doc.get("inhibit_rules");
        assertThat(inhibit.toString())
                .contains("source_matchers=[severity=\"page\"]")
                .contains("target_matchers=[severity=\"ticket\"]")
                .contains("equal=[service]");
        // every alert the rules can raise is routed by its labels, which the rules all set
        assertThat(Files.readString(DEPLOY.resolve("prometheus/rules/mmf-alerts.rules.yml")))
                .contains("severity: 'page'")
                .contains("team: 'platform'");
    }

    @Test
    void collectorConfigIsConsistent() throws Exception {
        Map<String, Object> c = (Map<String, Object>) yaml(DEPLOY.resolve("otel-collector/otel-collector.yml"));
        Map<String, Object> protocols = map(map(c.get("receivers"), "otlp"), "protocols");
        assertThat(protocols).containsKeys("grpc", "http");
        assertThat(map(protocols, "grpc").get("endpoint")).isEqualTo("0.0.0.0:4317");
        assertThat(map(protocols, "http").get("endpoint")).isEqualTo("0.0.0.0:4318");
        Map<String, Object> processors = map(c, "processors");
        String sampling = processors.get("tail_sampling").toString();
        assertThat(sampling)
                .contains("status_codes=[ERROR]")
                .contains("type=latency")
                .contains("threshold_ms=");
        Map<String, Object> pipelines = map(map(c, "service"), "pipelines");
        assertThat(pipelines).containsKeys("traces", "logs", "metrics");
        for (Map.Entry<String, Object> p : pipelines.entrySet()) {
            Map<String, Object> pipe = (Map<String, Object>) p.getValue();
            for (String kind : List.of("receivers", "processors", "exporters")) {
                for (Object name : (List<Object>) pipe.get(kind)) {
                    assertThat(map(c, kind)).as(p.getKey() + " " + kind).containsKey((String) name);
                }
            }
            List<Object> procs = (List<Object>) pipe.get("processors");
            assertThat(procs.get(0)).as("memory_limiter first in " + p.getKey()).isEqualTo("memory_limiter");
            assertThat(procs.get(procs.size() - 1)).isEqualTo("batch");
        }
        assertThat(list(pipelines.get("traces"), "processors")).contains("tail_sampling");
        // exporters go to services the compose file defines
        Map<String, Object> compose = map(yaml(DEPLOY.resolve("compose/docker-compose.yml")), "services");
        for (Object e : map(c, "exporters").values()) {
            String endpoint = String.valueOf(((Map<String, Object>) e).get("endpoint"));
            String host = endpoint.replaceFirst("^https?://", "").replaceFirst("[:/].*$", "");
            if (!host.equals("0.0.0.0")) {
                assertThat(compose).as("exporter host " + host).containsKey(host);
            }
        }
    }

    @Test
    void grafanaProvisioningResolves() throws Exception {
        Map<String, Object> ds =
                (Map<String, Object>) yaml(DEPLOY.resolve("grafana/provisioning/datasources/datasources.yml"));
        Set<String> uids = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (Object d : (List<Object>) ds.get("datasources")) {
            uids.add((String) ((Map<String, Object>) d).get("uid"));
            types.add((String) ((Map<String, Object>) d).get("type"));
        }
        String text = Files.readString(DEPLOY.resolve("grafana/provisioning/datasources/datasources.yml"));
        Matcher m = Pattern.compile("datasourceUid: (\\w+)").matcher(text);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertThat(uids).as("datasourceUid " + m.group(1)).contains(m.group(1));
        }
        assertThat(refs).isGreaterThanOrEqualTo(3);
        assertThat(text).contains("exemplarTraceIdDestinations");
        // the dashboards' datasource variables have a datasource of their type
        for (Dashboard d : DeploySpecs.dashboards()) {
            Matcher v = Pattern.compile("\"type\" : \"datasource\",\\s*\"query\" : \"(\\w+)\"")
                    .matcher(d.json());
            while (v.find()) {
                assertThat(types)
                        .as(d.uid() + " needs a " + v.group(1) + " datasource")
                        .contains(v.group(1));
            }
        }
        Map<String, Object> provider = (Map<String, Object>)
                list(yaml(DEPLOY.resolve("grafana/provisioning/dashboards/dashboards.yml")), "providers")
                        .get(0);
        String path = (String) map(provider, "options").get("path");
        List<Object> volumes =
                list(map(map(yaml(DEPLOY.resolve("compose/docker-compose.yml")), "services"), "grafana"), "volumes");
        assertThat(volumes).contains("../grafana/dashboards:" + path + ":ro");
    }

    @Test
    void composeFileIsConsistent() throws Exception {
        Path dir = DEPLOY.resolve("compose");
        Map<String, Object> services = map(yaml(dir.resolve("docker-compose.yml")), "services");
        assertThat(services)
                .containsKeys(
                        "otel-collector",
                        "prometheus",
                        "alertmanager",
                        "grafana",
                        "jaeger",
                        "loki",
                        "payment-service",
                        "order-service",
                        "gateway");
        Set<String> metricsPorts = new HashSet<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> s = (Map<String, Object>) e.getValue();
            String name = e.getKey();
            assertThat((String) s.get("image"))
                    .as(name + " image pinned")
                    .matches(PINNED)
                    .doesNotEndWith(":latest");
            if (s.containsKey("build")) {
                Map<String, Object> b = (Map<String, Object>) s.get("build");
                Path context = dir.resolve((String) b.get("context")).normalize();
                assertThat(context.resolve((String) b.get("dockerfile"))).isRegularFile();
            }
            for (Object v : s.containsKey("volumes") ? (List<Object>) s.get("volumes") : List.of()) {
                String host = v.toString().split(":")[0];
                assertThat(dir.resolve(host).normalize())
                        .as(name + " volume " + v)
                        .exists();
            }
            for (Object dep : s.containsKey("depends_on") ? (List<Object>) s.get("depends_on") : List.of()) {
                assertThat(services).as(name + " depends_on").containsKey((String) dep);
            }
            if (s.containsKey("network_mode")) {
                assertThat(services).containsKey(((String) s.get("network_mode")).replace("service:", ""));
            }
            Map<String, Object> env =
                    s.containsKey("environment") ? (Map<String, Object>) s.get("environment") : Map.of();
            for (String key : env.keySet()) {
                if (key.startsWith("MMF_") || key.startsWith("OTEL_")) {
                    assertThat(readByTheCode(key))
                            .as(name + ": " + key + " is read by the code")
                            .isTrue();
                }
            }
            if (env.containsKey("MMF_PROMETHEUS_PORT")) {
                metricsPorts.add(String.valueOf(env.get("MMF_PROMETHEUS_PORT")));
            }
        }
        assertThat(metricsPorts).hasSize(3);
        // configs passed on the command line are inside a mounted volume
        assertMounted(services, "prometheus", "/etc/prometheus/prometheus-compose.yml", dir);
        assertMounted(services, "alertmanager", "/etc/alertmanager/alertmanager-stack.yml", dir);
        assertMounted(services, "otel-collector", "/etc/otelcol-contrib/config.yaml", dir);
        // Prometheus scrapes exactly the services' metrics ports
        String prom = Files.readString(DEPLOY.resolve("prometheus/prometheus-compose.yml"));
        for (String port : metricsPorts) {
            assertThat(prom).contains("'payment-service:" + port + "'");
        }
        assertDemoMainExists(Files.readString(dir.resolve("Dockerfile.demo")));
    }

    private static void assertDemoMainExists(String dockerfile) throws IOException {
        Matcher m = Pattern.compile("\"(io\\.marty\\.[\\w.]+)\"\\]").matcher(dockerfile);
        assertThat(m.find()).isTrue();
        String path = "src/main/java/" + m.group(1).replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(Tools.REPO)) {
            assertThat(modules.anyMatch(mod -> Files.isRegularFile(mod.resolve(path))))
                    .as("the demo main class %s exists", m.group(1))
                    .isTrue();
        }
    }

    private static void assertMounted(Map<String, Object> services, String service, String containerPath, Path dir) {
        List<Object> volumes = list(services.get(service), "volumes");
        boolean found = false;
        for (Object v : volumes) {
            String[] parts = v.toString().split(":");
            if (containerPath.startsWith(parts[1])) {
                Path host = dir.resolve(parts[0] + containerPath.substring(parts[1].length()))
                        .normalize();
                if (parts[1].equals(containerPath)) {
                    host = dir.resolve(parts[0]).normalize();
                }
                assertThat(host).as(service + ": " + containerPath).isRegularFile();
                found = true;
            }
        }
        assertThat(found).as(service + " mounts " + containerPath).isTrue();
    }

    @Test
    void kubernetesManifestsAreConsistent() throws Exception {
        Path dir = DEPLOY.resolve("kubernetes");
        Map<String, Map<String, Object>> labelsByDeployment = new HashMap<>();
        List<Map<String, Object>> services = new ArrayList<>();
        int deployments = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path f : files) {
            for (Map<String, Object> doc : yamlDocs(f)) {
                assertThat(doc).as(f.toString()).containsKeys("apiVersion", "kind", "metadata");
                assertThat(map(doc, "metadata")).containsKey("name");
                String kind = (String) doc.get("kind");
                if (kind.equals("Service")) {
                    services.add(doc);
                }
                if (kind.equals("ConfigMap") && map(doc, "metadata").get("name").equals("otel-collector")) {
                    assertThat((Object)
                                    new Yaml().load((String) map(doc, "data").get("config.yaml")))
                            .isEqualTo(yaml(DEPLOY.resolve("otel-collector/otel-collector.yml")));
                }
                if (!kind.equals("Deployment")) {
                    continue;
                }
                deployments++;
                Map<String, Object> template = map(map(doc, "spec"), "template");
                labelsByDeployment.put(
                        (String) map(doc, "metadata").get("name"), map(map(template, "metadata"), "labels"));
                Map<String, Object> annotations = map(map(template, "metadata"), "annotations");
                for (Object co : list(map(template, "spec"), "containers")) {
                    Map<String, Object> c = (Map<String, Object>) co;
                    String where = f.getFileName() + "/" + c.get("name");
                    assertThat((String) c.get("image"))
                            .as(where)
                            .matches(PINNED)
                            .doesNotEndWith(":latest");
                    assertThat(c).as(where).containsKeys("livenessProbe", "readinessProbe", "resources");
                    Set<Object> ports = new HashSet<>();
                    Map<Object, Object> namedPorts = new HashMap<>();
                    for (Object p : (List<Object>) c.get("ports")) {
                        ports.add(((Map<String, Object>) p).get("containerPort"));
                        namedPorts.put(
                                ((Map<String, Object>) p).get("name"), ((Map<String, Object>) p).get("containerPort"));
                    }
                    for (String probe : List.of("livenessProbe", "readinessProbe")) {
                        Map<String, Object> get = map(c.get(probe), "httpGet");
                        assertThat(ports).as(where + " " + probe + " port").contains(get.get("port"));
                    }
                    List<Object> env = c.containsKey("env") ? (List<Object>) c.get("env") : List.of();
                    Map<String, String> envs = new HashMap<>();
                    for (Object e : env) {
                        Map<String, Object> ev = (Map<String, Object>) e;
                        envs.put((String) ev.get("name"), String.valueOf(ev.get("value")));
                        assertThat(readByTheCode((String) ev.get("name")))
                                .as(where + " " + ev.get("name"))
                                .isTrue();
                    }
                    if (envs.containsKey("MMF_PROMETHEUS_PORT")) { // a Marty service
                        assertThat(map(c.get("livenessProbe"), "httpGet").get("path"))
                                .isEqualTo("/health/live");
                        assertThat(map(c.get("readinessProbe"), "httpGet").get("path"))
                                .isEqualTo("/health/ready");
                        assertThat(annotations).containsEntry("prometheus.io/scrape", "true");
                        assertThat(namedPorts.get("metrics"))
                                .as(where + " metrics port = MMF_PROMETHEUS_PORT")
                                .isEqualTo(Integer.parseInt(envs.get("MMF_PROMETHEUS_PORT")));
                        assertThat(envs.get("OTEL_EXPORTER_OTLP_ENDPOINT")).startsWith("http://otel-collector.");
                    }
                }
            }
        }
        assertThat(deployments).isGreaterThanOrEqualTo(2);
        // the discovery roles prometheus-kubernetes.yml uses are readable by its service account
        String rbac = Files.readString(dir.resolve("prometheus-rbac.yml"));
        String k8sConfig = Files.readString(DEPLOY.resolve("prometheus/prometheus-kubernetes.yml"));
        assertThat(k8sConfig).contains("- role: pod").contains("- role: endpoints");
        assertThat(rbac).contains("resources: [pods, services, endpoints]").contains("verbs: [get, list, watch]");
        assertThat(Files.readString(dir.resolve("namespace.yml"))).contains("name: monitoring");
        for (Map<String, Object> s : services) {
            Map<String, Object> selector = map(map(s, "spec"), "selector");
            assertThat(labelsByDeployment.values())
                    .as("Service " + map(s, "metadata").get("name") + " selects a Deployment")
                    .anyMatch(l -> l.entrySet().containsAll(selector.entrySet()));
        }
    }
}
