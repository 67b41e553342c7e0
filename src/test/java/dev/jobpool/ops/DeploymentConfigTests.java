package dev.jobpool.ops;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Prometheus path, and the running service answers on those paths. No Docker engine is
 * needed: the files are read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeploymentConfigTests {

	private static final Pattern URL = Pattern.compile("https?://[^\\s\"'|]+");

	private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{[^:}]+:([^}]*)}$");

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
		String configInContainer = command.stream()
			.filter((argument) -> argument.startsWith("--config.file="))
			.map((argument) -> argument.substring("--config.file=".length()))
			.findFirst()
			.orElse("/etc/prometheus/prometheus.yml");
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
	void theServiceAnswersOnThosePaths() {
		ApiClient api = loopback.api();
		ApiClient.Response health = api.get(actuatorPath("health"));
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
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
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) this.prometheus.get("scrape_configs");
		return jobs.stream()
			.filter((job) -> "jobpool".equals(job.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("ops/prometheus/prometheus.yml has no scrape job named jobpool"));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> composeService(String name) {
		Object service = value(this.compose, "services." + name);
		assertThat(service).as("docker-compose.yml service %s", name).isInstanceOf(Map.class);
		return (Map<String, Object>) service;
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
