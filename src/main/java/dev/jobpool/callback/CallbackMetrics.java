package dev.jobpool.callback;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code jobpool_callback_deliveries_total{outcome}} (one per attempt: {@code delivered},
 * {@code retried}, {@code failed}, {@code blocked}, and {@code lost} for an attempt that
 * died with its replica, counted by the replica that found its lease run out) and
 * {@code jobpool_callback_seconds} (one attempt's duration).
 */
final class CallbackMetrics {

	/** How one attempt ended, as the metric's tag says it. */
	enum Outcome {

		DELIVERED, RETRIED, FAILED, BLOCKED, LOST

	}

	private final Map<Outcome, Counter> deliveries = new EnumMap<>(Outcome.class);

	private final Timer attempts;

	CallbackMetrics(MeterRegistry registry) {
		for (Outcome outcome : Outcome.values()) {
			this.deliveries.put(outcome,
					Counter.builder("jobpool.callback.deliveries")
						.description("Callback delivery attempts, by how they ended")
						.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
						.register(registry));
		}
		this.attempts = Timer.builder("jobpool.callback")
			.description("One callback delivery attempt")
			.publishPercentileHistogram()
			.register(registry);
	}

	void attempted(Outcome outcome, Duration duration) {
		this.deliveries.get(outcome).increment();
		if (outcome != Outcome.BLOCKED) {
			this.attempts.record(duration);
		}
	}

	void lost(int attempts) {
		this.deliveries.get(Outcome.LOST).increment(attempts);
	}

}
