package dev.jobpool.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.fetch.ServicePorts;
import dev.jobpool.fetch.UrlFetcher;

/**
 * Gives the executors that run tasks on the service's threads their runner, fetching with
 * the service's shared fetcher, and the worker-process executors the settings message of
 * each worker they start.
 */
@Configuration(proxyBeanMethods = false)
class WorkConfiguration {

	@Bean
	TaskWorkRunner taskWorkRunner(UrlFetcher fetcher) {
		return new TaskWorkRunner(fetcher);
	}

	@Bean
	WorkerSettings.Source workerSettings(FetchProperties fetch, ServicePorts ports) {
		return () -> WorkerSettings.of(fetch, ports.ports());
	}

}
