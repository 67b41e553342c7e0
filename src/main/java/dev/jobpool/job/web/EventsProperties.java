package dev.jobpool.job.web;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of the job event streams ({@code GET /api/jobs/{id}/events}), under
 * {@code jobpool.events}.
 *
 * @param maxSubscribers most streams open at once; one more drops the slowest
 * @param batchSize most task events a stream holds at once, pulled from the job as it
 * writes
 * @param sendTimeout how long one write to a client may block before the stream is
 * dropped
 */
@ConfigurationProperties("jobpool.events")
@Validated
public record EventsProperties(@DefaultValue("1000") @Min(1) int maxSubscribers,
		@DefaultValue("32") @Min(1) @Max(10000) int batchSize, @DefaultValue("20s") @NotNull Duration sendTimeout) {

}
