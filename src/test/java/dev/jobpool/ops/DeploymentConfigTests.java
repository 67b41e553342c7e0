package dev.jobpool.ops;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile, docker-compose.yml, the Prometheus and Grafana provisioning and the
 * service's application.yml agree on the service's port, its health path and its
 * Prometheus path, and the running service answers on those paths. The compose file's
 * {@code cluster} profile runs three replicas over Valkey behind nginx, scraped one by
 * one, and leaves the default stack as it was. No Docker engine is needed: the files are
 * read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeploymentConfigTests {

	private static final Pattern URL = Pattern.compile("https?://[^\\s\"'|]+");

	private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{[^:}]+:([^}]*)}$");

	private static final String CLUSTER = "cluster";

	private static final List<String> DEFAULT_SERVICES = List.of("jobpool", "prometheus", "grafana");

	private static final List<String> REPLICAS = List.of("jobpool-1", "jobpool-2", "jobpool-3");

	private static final Pattern NGINX_UPSTREAM = Pattern.compile("(?s)\\bupstream\\s+(\\S+)\\s*\\{(.*?)}");

	private static final Pattern NGINX_SERVER = Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)");

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private Map<String, Object> application;

	private Map<String, Object> compose;

	private Map<String, Object> prometheus;

	private List<String> dockerfile;

	@BeforeEach
	void read() throws IOException {
		this.application = yaml("src/main/resources/application.yml");
		this.compose = yaml("docker-compose.yml");
		this.prometheus = yaml("ops/prometheus/prometheus.yml");
		this.dockerfile = instructions(Files.readString(Path.of("Dockerfile")));
	}

	@Test
	void everyFileNamesTheSamePort() {
		int servicePort = servicePort();
		assertThat(servicePort).as("server.port in application.yml").isEqualTo(8080);
		assertThat(value(this.application, "management.server.port"))
			.as("management.server.port: actuator "
					+ "on the service's own port, where the health check and Prometheus look")
			.isIn(null, servicePort, String.valueOf(servicePort));

		assertThat(this.dockerfile).as("Dockerfile EXPOSE").contains("EXPOSE " + servicePort);
		assertThat(URI.create(healthCheckUrl(dockerInstruction("HEALTHCHECK"))).getPort()).as("Dockerfile HEALTHCHECK")
			.isEqualTo(servicePort);

		Map<String, Object> jobpool = composeService("jobpool");
		assertThat(strings(jobpool.get("ports"))).as("compose: jobpool's published ports")
			.anySatisfy((mapping) -> assertThat(mapping).endsWith(":" + servicePort));
		assertThat(URI.create(healthCheckUrl(String.join(" ", strings(value(jobpool, "healthcheck.test"))))).getPort())
			.as("compose: jobpool's healthcheck")
			.isEqualTo(servicePort);

		assertThat(strings(value(jobpoolScrapeJob(), "static_configs.0.targets"))).as("Prometheus targets")
			.containsExactly("jobpool:" + servicePort);
		assertThat(this.compose.get("services")).as("compose services: the target's host name")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKey("jobpool");
	}

	@Test
	void everyFileNamesTheSameHealthPath() {
		String health = actuatorPath("health");
		assertThat(health).isEqualTo("/actuator/health");
		assertThat(URI.create(healthCheckUrl(dockerInstruction("HEALTHCHECK"))).getPath()).as("Dockerfile HEALTHCHECK")
			.isEqualTo(health);
		assertThat(URI
			.create(healthCheckUrl(String.join(" ", strings(value(composeService("jobpool"), "healthcheck.test")))))
			.getPath()).as("compose: jobpool's healthcheck").isEqualTo(health);
	}

	@Test
	void everyFileNamesTheSamePrometheusPath() {
		String scrape = actuatorPath("prometheus");
		assertThat(scrape).isEqualTo("/actuator/prometheus");
		Map<String, Object> job = jobpoolScrapeJob();
		assertThat(job.get("metrics_path")).as("Prometheus metrics_path").isEqualTo(scrape);
		assertThat(job.getOrDefault("scheme", "http")).isEqualTo("http");
	}

	@Test
	void composeMountsTheRepositorysPrometheusAndGrafanaFiles() throws IOException {
		Map<String, Object> prometheusService = composeService("prometheus");
		List<String> command = strings(prometheusService.get("command"));
		String configInContainer = configFile(prometheusService);
		assertThat(strings(prometheusService.get("volumes"))).as("compose: prometheus volumes")
			.anySatisfy(
					(volume) -> assertThat(volume).startsWith("./ops/prometheus/prometheus.yml:" + configInContainer));
		for (String volume : strings(composeService("grafana").get("volumes"))) {
			if (volume.startsWith("./")) {
				assertThat(Path.of(volume.substring(2, volume.indexOf(':')))).as("compose: grafana mounts %s", volume)
					.exists();
			}
		}

		// Grafana's data source is compose's Prometheus, on the port Prometheus listens
		// on.
		Map<String, Object> datasource = firstOf(yaml("ops/grafana/provisioning/datasources/prometheus.yml"),
				"datasources");
		URI prometheusUrl = URI.create((String) datasource.get("url"));
		assertThat(prometheusUrl.getHost()).isEqualTo("prometheus");
		String listen = command.stream()
			.filter((argument) -> argument.startsWith("--web.listen-address="))
			.findFirst()
			.orElse("--web.listen-address=0.0.0.0:9090");
		assertThat(listen).endsWith(":" + prometheusUrl.getPort());
		assertThat(value(datasource, "jsonData.timeInterval")).as("Grafana's timeInterval is the scrape interval")
			.isEqualTo(value(this.prometheus, "global.scrape_interval"));
		assertThat(Path.of("ops/grafana/dashboards/jobpool.json")).exists();
	}

	@Test
	void theDefaultStackIsUntouchedByTheClusterProfile() {
		Map<String, Object> services = services();
		for (String name : DEFAULT_SERVICES) {
			assertThat(composeService(name)).as("compose: %s runs without a profile", name)
				.doesNotContainKey("profiles");
		}
		for (String name : services.keySet()) {
			if (!DEFAULT_SERVICES.contains(name)) {
				assertThat(strings(composeService(name).get("profiles"))).as("compose: profiles of %s", name)
					.containsExactly(CLUSTER);
			}
		}
		for (String name : DEFAULT_SERVICES) {
			assertThat(dependencies(composeService(name))).as("compose: what %s depends on", name)
				.allMatch(DEFAULT_SERVICES::contains);
		}
	}

	@Test
	void clusterProfileRunsValkeyWithAofAndNoEviction() {
		Map<String, Object> valkey = composeService("valkey");
		assertThat(valkey.get("image")).as("compose: valkey's image").isEqualTo("valkey/valkey:8.1");
		List<String> command = words(valkey.get("command"));
		assertThat(command).as("compose: valkey's command").first().isEqualTo("valkey-server");
		assertThat(option(command, "--appendonly")).as("valkey: AOF, so jobs outlive a restart").isEqualTo("yes");
		assertThat(option(command, "--maxmemory-policy")).as("valkey: never evicts a job's keys")
			.isEqualTo("noeviction");
		assertThat(strings(valkey.get("volumes"))).as("compose: valkey keeps /data (its AOF) in a volume")
			.anySatisfy((volume) -> assertThat(volume).matches("[\\w-]+:/data"));
		assertThat(words(value(valkey, "healthcheck.test"))).as("compose: valkey's healthcheck")
			.containsSubsequence("valkey-cli", "ping");
	}

	@Test
	void clusterProfileRunsThreeReplicasOnValkey() {
		Map<String, Object> jobpool = composeService("jobpool");
		List<String> ids = new ArrayList<>();
		for (String name : REPLICAS) {
			Map<String, Object> replica = composeService(name);
			assertThat(replica.get("image")).as("compose: %s runs the image jobpool builds", name)
				.isEqualTo(jobpool.get("image"));
			assertThat(replica.get("init")).as("compose: %s has tini as PID 1", name).isEqualTo(true);
			assertThat(replica.get("healthcheck")).as("compose: %s's healthcheck", name)
				.isEqualTo(jobpool.get("healthcheck"));
			assertThat(value(replica, "depends_on.valkey.condition")).as("compose: %s waits for valkey", name)
				.isEqualTo("service_healthy");
			Map<String, String> environment = environment(replica);
			assertThat(environment).as("compose: %s's environment", name)
				.containsEntry("JOBPOOL_STORE", "redis")
				.containsKey("JOBPOOL_CLUSTER_REPLICA_ID");
			URI redis = URI.create(environment.get("SPRING_DATA_REDIS_URL"));
			assertThat(redis.getScheme()).isEqualTo("redis");
			assertThat(redis.getHost()).as("%s's Redis is the valkey service", name).isEqualTo("valkey");
			assertThat(redis.getPort()).isIn(-1, 6379);
			ids.add(environment.get("JOBPOOL_CLUSTER_REPLICA_ID"));
		}
		assertThat(ids).as("replica ids").doesNotHaveDuplicates().doesNotContain("");
	}

	@Test
	void clusterLoadBalancerSpreadsOverTheReplicasAndLetsEventStreamsThrough() throws IOException {
		Map<String, Object> lb = composeService("lb");
		assertThat(lb.get("image").toString()).as("compose: lb's image").startsWith("nginx:");
		assertThat(strings(lb.get("ports"))).as("compose: lb's published ports").contains("8090:80");
		String mount = strings(lb.get("volumes")).stream()
			.filter((volume) -> volume.contains(":/etc/nginx/nginx.conf"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("compose: lb mounts no /etc/nginx/nginx.conf"));
		assertThat(mount).as("compose: lb's nginx.conf is read-only").endsWith(":ro");
		Path file = Path.of(mount.substring(2, mount.indexOf(':')));
		assertThat(file).exists();
		String conf = Files.readString(file).replaceAll("#[^\\n]*", "");

		assertThat(conf).as("%s: a listener on the container port compose publishes", file)
			.containsPattern("\\blisten\\s+80;");
		Matcher upstream = NGINX_UPSTREAM.matcher(conf);
		assertThat(upstream.find()).as("%s: an upstream block", file).isTrue();
		List<String> servers = NGINX_SERVER.matcher(upstream.group(2))
			.results()
			.map((server) -> server.group(1))
			.toList();
		assertThat(servers).as("%s: the upstream's servers", file)
			.containsExactlyElementsOf(REPLICAS.stream().map((replica) -> replica + ":" + servicePort()).toList());
		assertThat(upstream.group(2)).as("%s: no balancing method but round robin", file)
			.doesNotContainPattern("\\b(ip_hash|hash|least_conn|random)\\b");
		assertThat(conf).as("%s: the location proxies to the upstream", file)
			.containsPattern("\\bproxy_pass\\s+http://" + Pattern.quote(upstream.group(1)) + "\\s*;");
		for (String directive : List.of("proxy_buffering off", "proxy_cache off", "proxy_read_timeout 1h",
				"proxy_http_version 1.1", "proxy_set_header Connection \"\"")) {
			assertThat(conf).as("%s: %s (server-sent events and keep-alive)", file, directive)
				.containsPattern("\\b" + Pattern.quote(directive).replace(" ", "\\E\\s+\\Q") + "\\s*;");
		}
		assertThat(conf).as("%s: keep-alive connections to the replicas", file)
			.containsPattern("\\bkeepalive\\s+\\d+;");
		for (String replica : REPLICAS) {
			assertThat(value(lb, "depends_on." + replica + ".condition")).as("compose: lb waits for %s", replica)
				.isEqualTo("service_healthy");
		}
	}

	@Test
	void clusterPrometheusScrapesEveryReplicaAndGrafanaReadsIt() throws IOException {
		Map<String, Object> service = composeService("prometheus-cluster");
		assertThat(service.get("image")).as("compose: the cluster's Prometheus runs the default one's image")
			.isEqualTo(composeService("prometheus").get("image"));
		assertThat(strings(service.get("volumes"))).as("compose: prometheus-cluster volumes")
			.anySatisfy((volume) -> assertThat(volume)
				.startsWith("./ops/prometheus/prometheus-cluster.yml:" + configFile(service) + ":"));
		Map<String, Object> config = yaml("ops/prometheus/prometheus-cluster.yml");
		assertThat(config.get("global")).as("prometheus-cluster.yml: same intervals as prometheus.yml")
			.isEqualTo(this.prometheus.get("global"));
		Map<String, Object> job = scrapeJob(config, "ops/prometheus/prometheus-cluster.yml");
		assertThat(job.get("metrics_path")).as("prometheus-cluster.yml: metrics_path")
			.isEqualTo(actuatorPath("prometheus"));
		Map<String, String> replicaByTarget = new HashMap<>();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> staticConfigs = (List<Map<String, Object>>) job.get("static_configs");
		for (Map<String, Object> group : staticConfigs) {
			for (String target : strings(group.get("targets"))) {
				replicaByTarget.put(target, String.valueOf(value(group, "labels.replica")));
			}
		}
		Map<String, String> expected = new HashMap<>();
		for (String replica : REPLICAS) {
			expected.put(replica + ":" + servicePort(),
					environment(composeService(replica)).get("JOBPOOL_CLUSTER_REPLICA_ID"));
		}
		assertThat(replicaByTarget).as("prometheus-cluster.yml: every replica, labelled with its replica id")
			.isEqualTo(expected);

		Map<String, Object> grafana = composeService("grafana-cluster");
		List<String> volumes = strings(grafana.get("volumes"));
		String datasources = volumes.stream()
			.filter((volume) -> volume.contains(":/etc/grafana/provisioning/datasources"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("compose: grafana-cluster provisions no datasource"));
		Map<String, Object> datasource = firstOf(
				yaml(datasources.substring(2, datasources.indexOf(':')) + "/prometheus.yml"), "datasources");
		assertThat(datasource.get("uid")).as("the uid the dashboard's panels name").isEqualTo("prometheus");
		URI url = URI.create((String) datasource.get("url"));
		assertThat(url.getHost()).isEqualTo("prometheus-cluster");
		assertThat(url.getPort()).isEqualTo(9090);
		assertThat(volumes).as("compose: grafana-cluster shows the same dashboards as grafana")
			.containsAll(strings(composeService("grafana").get("volumes")).stream()
				.filter((volume) -> volume.startsWith("./ops/grafana/dashboards")
						|| volume.startsWith("./ops/grafana/provisioning/dashboards"))
				.toList());
		for (String volume : volumes) {
			if (volume.startsWith("./")) {
				assertThat(Path.of(volume.substring(2, volume.indexOf(':'))))
					.as("compose: grafana-cluster mounts %s", volume)
					.exists();
			}
		}
	}

	@Test
	void theServiceAnswersOnThosePaths() {
		ApiClient api = loopback.api();
		ApiClient.Response health = api.get(actuatorPath("health"));
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
		// jobpool_jobs_submitted_total appears with the first job: run one, so that the
		// test
		// does not depend on others having run first in this JVM.
		assertThat(api.post("/api/jobs/sum?wait=30", "{\"numbers\":[10],\"executor\":\"platform\"}").status())
			.isEqualTo(200);
		ApiClient.Response metrics = api.get(actuatorPath("prometheus"));
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("application=\"jobpool\"", "jobpool_jobs_submitted_total");
	}

	@Test
	void dockerfileLintsClean() {
		ExternalTools.Result result = ExternalTools.run(Duration.ofSeconds(60), Path.of("."), null,
				List.of(ExternalTools.dockerfileUtils().toString(), "lint", "Dockerfile"));

		// dockerfile-utils exits 0 even when it finds problems: what it prints is the
		// verdict.
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).as("dockerfile-utils lint Dockerfile").isBlank();
	}

	private int servicePort() {
		Object port = value(this.application, "server.port");
		return (port == null) ? 8080 : Integer.parseInt(resolve(port.toString()));
	}

	/**
	 * An actuator endpoint's path from application.yml (base path and path mapping
	 * included).
	 */
	private String actuatorPath(String endpoint) {
		List<String> exposed = strings(value(this.application, "management.endpoints.web.exposure.include"));
		assertThat(exposed).as("management.endpoints.web.exposure.include").contains(endpoint);
		Object base = value(this.application, "management.endpoints.web.base-path");
		Object mapped = value(this.application, "management.endpoints.web.path-mapping." + endpoint);
		return Objects.toString(base, "/actuator") + "/" + Objects.toString(mapped, endpoint);
	}

	private Map<String, Object> jobpoolScrapeJob() {
		return scrapeJob(this.prometheus, "ops/prometheus/prometheus.yml");
	}

	private static Map<String, Object> scrapeJob(Map<String, Object> config, String file) {
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
		return jobs.stream()
			.filter((job) -> "jobpool".equals(job.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(file + " has no scrape job named jobpool"));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> services() {
		return (Map<String, Object>) this.compose.get("services");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> composeService(String name) {
		Object service = value(this.compose, "services." + name);
		assertThat(service).as("docker-compose.yml service %s", name).isInstanceOf(Map.class);
		return (Map<String, Object>) service;
	}

	/** Where a Prometheus service of the compose file reads its configuration. */
	private static String configFile(Map<String, Object> prometheusService) {
		return strings(prometheusService.get("command")).stream()
			.filter((argument) -> argument.startsWith("--config.file="))
			.map((argument) -> argument.substring("--config.file=".length()))
			.findFirst()
			.orElse("/etc/prometheus/prometheus.yml");
	}

	/** A compose service's environment, written as a map or as a list of NAME=value. */
	private static Map<String, String> environment(Map<String, Object> service) {
		Object environment = service.get("environment");
		Map<String, String> variables = new HashMap<>();
		if (environment instanceof Map<?, ?> map) {
			map.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
		}
		else {
			for (String entry : strings(environment)) {
				int equals = entry.indexOf('=');
				variables.put((equals < 0) ? entry : entry.substring(0, equals),
						(equals < 0) ? "" : entry.substring(equals + 1));
			}
		}
		return variables;
	}

	/**
	 * The services a compose service depends on, in the short (list) or long (map) form.
	 */
	private static List<String> dependencies(Map<String, Object> service) {
		Object dependsOn = service.get("depends_on");
		return (dependsOn instanceof Map<?, ?> map) ? map.keySet().stream().map(String::valueOf).toList()
				: strings(dependsOn);
	}

	/**
	 * A compose command or healthcheck test, as a list or a shell string, word by word.
	 */
	private static List<String> words(Object command) {
		if (command instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of(String.valueOf(command).strip().split("\\s+"));
	}

	/** The value after an option in a command line: {@code --name value}. */
	private static String option(List<String> command, String name) {
		int at = command.indexOf(name);
		assertThat(at).as("%s in %s", name, command).isNotNegative().isLessThan(command.size() - 1);
		return command.get(at + 1);
	}

	private String dockerInstruction(String keyword) {
		List<String> found = this.dockerfile.stream().filter((line) -> line.startsWith(keyword + " ")).toList();
		assertThat(found).as("Dockerfile %s instructions", keyword).hasSize(1);
		return found.get(0);
	}

	private static String healthCheckUrl(String command) {
		Matcher url = URL.matcher(command);
		assertThat(url.find()).as("a URL in the health check '%s'", command).isTrue();
		return url.group();
	}

	/**
	 * The Dockerfile's instructions, one a line, continuation lines joined and comments
	 * dropped.
	 */
	static List<String> instructions(String dockerfile) {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : dockerfile.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
				continue;
			}
			boolean continued = trimmed.endsWith("\\");
			current.append(continued ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed).append(' ');
			if (!continued) {
				instructions.add(current.toString().strip().replaceAll("\\s+", " "));
				current.setLength(0);
			}
		}
		return instructions;
	}

	private static String resolve(String value) {
		Matcher placeholder = PLACEHOLDER.matcher(value);
		return placeholder.matches() ? placeholder.group(1) : value;
	}

	private static Map<String, Object> yaml(String path) throws IOException {
		return new Yaml().load(Files.readString(Path.of(path)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> firstOf(Map<String, Object> document, String key) {
		return ((List<Map<String, Object>>) document.get(key)).get(0);
	}

	/**
	 * Follow a dotted path through nested maps and lists (numbers index lists). Spring
	 * Boot's relaxed binding allows both {@code a: {b: 1}} and {@code a.b: 1}; both are
	 * read.
	 */
	@SuppressWarnings("unchecked")
	static Object value(Object node, String path) {
		if (path.isEmpty()) {
			return node;
		}
		if (node instanceof Map<?, ?> map) {
			String[] keys = path.split("\\.");
			for (int taken = keys.length; taken >= 1; taken--) {
				String key = String.join(".", List.of(keys).subList(0, taken));
				if (map.containsKey(key)) {
					String rest = String.join(".", List.of(keys).subList(taken, keys.length));
					Object found = value(((Map<String, Object>) map).get(key), rest);
					if (found != null) {
						return found;
					}
				}
			}
			return null;
		}
		if (node instanceof List<?> list) {
			int dot = path.indexOf('.');
			String head = (dot < 0) ? path : path.substring(0, dot);
			if (head.chars().allMatch(Character::isDigit) && Integer.parseInt(head) < list.size()) {
				return value(list.get(Integer.parseInt(head)), (dot < 0) ? "" : path.substring(dot + 1));
			}
		}
		return null;
	}

	/** A YAML list, or a comma-separated string as Spring Boot reads one, as strings. */
	private static List<String> strings(Object value) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return list.stream().map(String::valueOf).map(String::strip).toList();
		}
		return List.of(value.toString().split("\\s*,\\s*"));
	}

}
