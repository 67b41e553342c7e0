package dev.jobpool.execution.process;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker processes, under {@code jobpool.process}.
 *
 * @param workers worker processes of the {@code process} pool; 0 means one per core
 * @param spawnMaxRunning most processes the {@code spawn} executor runs at once; 0 means
 * one per core
 * @param jvmOptions options of each worker JVM (the heap limit at least)
 * @param maxTasksPerWorker tasks a pooled worker runs before it is replaced, like
 * Python's {@code maxtasksperchild}; 0 means no limit
 * @param maxWorkerMemory a worker whose resident memory passes this after a task is
 * replaced
 * @param retryLostTasks whether a task whose worker died runs once more on a fresh worker
 * (never more than once)
 * @param startTimeout how long a worker may take to start and say it is ready
 * @param pingTimeout how long a pooled worker that has been idle may take to answer the
 * ping it gets before its next task; one that does not is killed and replaced
 */
@ConfigurationProperties("jobpool.process")
@Validated
public record ProcessProperties(@DefaultValue("0") @Min(0) @Max(256) int workers,
		@DefaultValue("0") @Min(0) @Max(256) int spawnMaxRunning, @DefaultValue( {
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData" }) @NotNull List<String> jvmOptions,
		@DefaultValue("0") @Min(0) int maxTasksPerWorker, @DefaultValue("512MB") @NotNull DataSize maxWorkerMemory,
		@DefaultValue("false") boolean retryLostTasks, @DefaultValue("30s") @NotNull Duration startTimeout,
		@DefaultValue("2s") @NotNull Duration pingTimeout){

	@AssertTrue(message = "ping-timeout must be positive")
	boolean isPingTimeoutPositive() {
		return this.pingTimeout.isPositive();
	}

	/**
	 * Return the size of the {@code process} pool.
	 * @return the configured size, or the number of cores if it is 0
	 */
	public int effectiveWorkers() {
		return (this.workers > 0) ? this.workers : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * Return how many processes {@code spawn} runs at once.
	 * @return the configured number, or the number of cores if it is 0
	 */
	public int effectiveSpawnMaxRunning() {
		return (this.spawnMaxRunning > 0) ? this.spawnMaxRunning : Runtime.getRuntime().availableProcessors();
	}

}
