package dev.jobpool.cluster;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which store keeps the jobs ({@code jobpool.store}): {@code memory}, the default, or
 * {@code redis}, whose server is {@code spring.data.redis.url}.
 *
 * @param store the store
 */
@ConfigurationProperties("jobpool")
@Validated
public record StoreProperties(@DefaultValue("memory") @NotNull StoreKind store) {
}
