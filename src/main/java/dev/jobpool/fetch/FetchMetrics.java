package dev.jobpool.fetch;

import java.util.EnumMap;
import java.util.Map;

import dev.jobpool.task.TaskErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts fetch outcomes by status class, the body bytes read, fetches refused by the
 * guard and fetches cut off by a limit. All counters are registered up front so that they
 * are scraped as zero before the first fetch.
 */
final class FetchMetrics {

	static final String RESPONSES = "jobpool.fetch.responses";

	static final String BYTES = "jobpool.fetch.bytes";

	static final String BLOCKED = "jobpool.fetch.blocked";

	static final String ABORTED = "jobpool.fetch.aborted";

	static final String STATUS_CLASS = "status_class";

	static final String REASON = "reason";

	// Indexed by status / 100; index 0 is unused.
	private final Counter[] responsesByClass = new Counter[6];

	private final Counter errors;

	private final Counter bytes;

	private final Map<BlockReason, Counter> blocked = new EnumMap<>(BlockReason.class);

	private final Counter tooLarge;

	private final Counter timedOut;

	FetchMetrics(MeterRegistry registry) {
		for (int statusClass = 1; statusClass <= 5; statusClass++) {
			this.responsesByClass[statusClass] = responses(registry, statusClass + "xx");
		}
		this.errors = responses(registry, "error");
		this.bytes = Counter.builder(BYTES)
			.description("Bytes of response bodies read by URL fetches")
			.baseUnit("bytes")
			.register(registry);
		for (BlockReason reason : BlockReason.values()) {
			this.blocked.put(reason,
					Counter.builder(BLOCKED)
						.description("URL fetches refused before any request was sent, by reason")
						.tag(REASON, reason.id())
						.register(registry));
		}
		this.tooLarge = aborted(registry, "too_large");
		this.timedOut = aborted(registry, "timeout");
	}

	private static Counter responses(MeterRegistry registry, String statusClass) {
		return Counter.builder(RESPONSES)
			.description("Finished URL fetches, by status class of the final response, or error if the fetch failed")
			.tag(STATUS_CLASS, statusClass)
			.register(registry);
	}

	private static Counter aborted(MeterRegistry registry, String reason) {
		return Counter.builder(ABORTED)
			.description("URL fetches cut off by a limit: the response size limit, or a timeout or deadline")
			.tag(REASON, reason)
			.register(registry);
	}

	void response(int status) {
		int statusClass = Math.clamp(status / 100, 1, 5);
		this.responsesByClass[statusClass].increment();
	}

	/**
	 * Count a failed fetch, and the limit or the DNS failure that ended it, if one did.
	 * @param code why the fetch failed
	 */
	void error(TaskErrorCode code) {
		this.errors.increment();
		switch (code) {
			case TOO_LARGE -> this.tooLarge.increment();
			case TIMEOUT -> this.timedOut.increment();
			case DNS -> this.blocked.get(BlockReason.DNS).increment();
			default -> {
			}
		}
	}

	void blocked(BlockReason reason) {
		this.blocked.get(reason).increment();
	}

	void bytesRead(long count) {
		if (count > 0) {
			this.bytes.increment(count);
		}
	}

}
