package dev.jobpool.warmup;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the warm-up the service runs before it reports ready, under
 * {@code jobpool.warmup}.
 *
 * @param enabled whether the service warms up before it reports ready
 * @param rounds how many rounds of rehearsal requests it sends (each a sum job on every
 * executor but {@code spawn}, and two reads)
 * @param maxTime the longest the warm-up may take, the wait for the JIT compiler to
 * settle included; past it the service reports ready, only less warm
 */
@ConfigurationProperties("jobpool.warmup")
@Validated
record WarmUpProperties(@DefaultValue("true") boolean enabled, @DefaultValue("200") @Min(1) @Max(100_000) int rounds,
		@DefaultValue("15s") @NotNull Duration maxTime) {

	@AssertTrue(message = "max-time must be positive")
	boolean isMaxTimePositive() {
		return this.maxTime.isPositive();
	}

}
