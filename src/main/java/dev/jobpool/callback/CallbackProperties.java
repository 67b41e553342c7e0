package dev.jobpool.callback;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of job callbacks ({@code jobpool.callbacks.*}).
 *
 * @param secret the signing secret in the Standard Webhooks form {@code whsec_<base64>}
 * (also from {@code JOBPOOL_CALLBACKS_SECRET}); without one, callbacks go unsigned
 * @param timeout how long one attempt may take, connect to last byte
 * @param maxAttempts most attempts per callback
 * @param firstRetry the wait before the first retry; each next one doubles, with jitter
 * @param maxBackoff the longest wait between two attempts
 * @param maxInFlight most attempts under way at once on this replica
 * @param maxPending most callbacks waiting to be delivered; past it, jobs with a callback
 * are refused with 429
 * @param pollInterval how often due callbacks are looked for
 */
@ConfigurationProperties("jobpool.callbacks")
@Validated
public record CallbackProperties(@Nullable @Pattern(regexp = "(whsec_[A-Za-z0-9+/=]+)?") String secret,
		@DefaultValue("10s") @NotNull Duration timeout, @DefaultValue("8") @Min(1) @Max(100) int maxAttempts,
		@DefaultValue("1s") @NotNull Duration firstRetry, @DefaultValue("10m") @NotNull Duration maxBackoff,
		@DefaultValue("64") @Min(1) @Max(10_000) int maxInFlight, @DefaultValue("10000") @Min(1) int maxPending,
		@DefaultValue("200ms") @NotNull Duration pollInterval) {
}
