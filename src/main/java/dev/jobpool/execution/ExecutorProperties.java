package dev.jobpool.execution;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the executors, under {@code jobpool.executors}.
 *
 * @param platformThreads threads of the {@code platform} pool; 0 means one per core
 * @param virtualMaxRunning most tasks the {@code virtual} executor runs at once; the rest
 * wait
 * @param queueCapacity most tasks that may wait in a thread pool's own queue
 * @param shutdownGrace how long running tasks may go on when the service stops
 */
@ConfigurationProperties("jobpool.executors")
@Validated
public record ExecutorProperties(@DefaultValue("0") @Min(0) @Max(1024) int platformThreads,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int virtualMaxRunning,
		@DefaultValue("100000") @Min(1) int queueCapacity, @DefaultValue("30s") @NotNull Duration shutdownGrace) {

	/**
	 * Return the size of the {@code platform} pool.
	 * @return the configured size, or the number of cores if it is 0
	 */
	public int effectivePlatformThreads() {
		return (this.platformThreads > 0) ? this.platformThreads : Runtime.getRuntime().availableProcessors();
	}

}
