package dev.jobpool.work;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.jobpool.fetch.FetchProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker gets the service's {@code jobpool.fetch} settings record as it is: the same
 * user agent and connection cap, and the ports of the service's web servers besides the
 * configured ones.
 */
class WorkerSettingsTests {

	@Test
	void aWorkerGetsTheRecordsUserAgentAndConnectionCap() {
		FetchProperties fetch = bind(Map.of("jobpool.fetch.user-agent", "jobpool-test/9",
				"jobpool.fetch.max-connections", "50000", "jobpool.fetch.service-ports", "9000"));

		WorkerSettings settings = WorkerSettings.of(fetch, Set.of(8081, 8080, 9000));

		assertThat(settings.fetch().userAgent()).isEqualTo("jobpool-test/9");
		assertThat(settings.fetch().maxConnections()).isEqualTo(50_000);
		assertThat(settings.fetch().servicePorts()).containsExactly(9000, 8080, 8081);
		assertThat(settings.fetch()).usingRecursiveComparison().ignoringFields("servicePorts").isEqualTo(fetch);
	}

	@Test
	void aWorkerOfAServiceWithDefaultSettingsGetsTheRecordsDefaults() {
		FetchProperties defaults = bind(Map.of());

		WorkerSettings settings = WorkerSettings.of(defaults, Set.of());

		assertThat(settings.fetch()).isEqualTo(defaults);
		assertThat(settings.fetch().userAgent()).isEqualTo("jobpool/0.1");
		assertThat(settings.fetch().maxConnections()).isEqualTo(10_000);
	}

	private static FetchProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("jobpool.fetch",
				FetchProperties.class);
	}

}
