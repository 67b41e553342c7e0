package dev.jobpool.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A job request's {@code callback}: where the service POSTs the job once it has ended,
 * signed the Standard Webhooks way.
 *
 * @param url an http or https URL
 */
@Schema(name = "Callback", description = "where to POST the job once it has ended (signed the Standard Webhooks way)")
record CallbackRequest(@Schema(description = "an http or https URL",
		example = "https://example.com/hooks/jobpool") @Nullable String url) {
}
