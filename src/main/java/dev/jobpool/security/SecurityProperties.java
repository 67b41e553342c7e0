package dev.jobpool.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the API key, under {@code jobpool.security}.
 *
 * @param apiKey the key {@code /api/**} requires as {@code X-API-Key} or
 * {@code Authorization: Bearer}; empty (the default) leaves the API open. Also read from
 * the environment variable {@code JOBPOOL_API_KEY}.
 * @param protectMetrics whether {@code /actuator/prometheus} requires the key too (health
 * always stays open)
 */
@ConfigurationProperties("jobpool.security")
public record SecurityProperties(@DefaultValue("") String apiKey, @DefaultValue("false") boolean protectMetrics) {

	/**
	 * Return whether a key is set.
	 * @return {@code true} if requests must carry the key
	 */
	public boolean enabled() {
		return !this.apiKey.isBlank();
	}

}
