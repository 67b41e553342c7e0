package dev.jobpool.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobpool.fetch.UrlFetcher;

/**
 * Gives the executors that run tasks on the service's threads their runner, fetching with
 * the service's shared fetcher.
 */
@Configuration(proxyBeanMethods = false)
class WorkConfiguration {

	@Bean
	TaskWorkRunner taskWorkRunner(UrlFetcher fetcher) {
		return new TaskWorkRunner(fetcher);
	}

}
