package dev.jobpool.web;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the web server treats slow clients, under {@code jobpool.web}.
 *
 * @param bodyReadTimeout longest wait for the next bytes of a request body; a client that
 * announces more than it sends is answered {@code 408} and its connection closed after it
 */
@ConfigurationProperties("jobpool.web")
@Validated
public record WebProperties(@DefaultValue("10s") @NotNull Duration bodyReadTimeout) {

	@AssertTrue(message = "body-read-timeout must be positive")
	boolean isBodyReadTimeoutPositive() {
		return !this.bodyReadTimeout.isNegative() && !this.bodyReadTimeout.isZero();
	}

}
