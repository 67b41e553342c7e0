package dev.jobpool.fetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts fetch outcomes by status class and the body bytes read. All counters are registered up
 * front so that they are scraped as zero before the first fetch.
 */
final class FetchMetrics {

	static final String RESPONSES = "jobpool.fetch.responses";

	static final String BYTES = "jobpool.fetch.bytes";

	static final String STATUS_CLASS = "status_class";

	// Indexed by status / 100; index 0 is unused.
	private final Counter[] responsesByClass = new Counter[6];

	private final Counter errors;

	private final Counter bytes;

	FetchMetrics(MeterRegistry registry) {
		for (int statusClass = 1; statusClass <= 5; statusClass++) {
			this.responsesByClass[statusClass] = responses(registry, statusClass + "xx");
		}
		this.errors = responses(registry, "error");
		this.bytes = Counter.builder(BYTES)
			.description("Bytes of response bodies read by URL fetches")
			.baseUnit("bytes")
			.register(registry);
	}

	private static Counter responses(MeterRegistry registry, String statusClass) {
		return Counter.builder(RESPONSES)
			.description("Finished URL fetches, by status class of the final response, or error if the fetch failed")
			.tag(STATUS_CLASS, statusClass)
			.register(registry);
	}

	void response(int status) {
		int statusClass = Math.clamp(status / 100, 1, 5);
		this.responsesByClass[statusClass].increment();
	}

	void error() {
		this.errors.increment();
	}

	void bytesRead(long count) {
		if (count > 0) {
			this.bytes.increment(count);
		}
	}

}
