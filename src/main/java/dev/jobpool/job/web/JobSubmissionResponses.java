package dev.jobpool.job.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The answers every job submission can give, documented once for both POST endpoints.
 * Error answers get their problem+json body from {@code OpenApiConfiguration}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(responseCode = "202", description = "Accepted; Location names the job")
@ApiResponse(responseCode = "200", description = "Finished within ?wait seconds")
@ApiResponse(responseCode = "400", description = "Invalid request: the problem's errors name each field")
@ApiResponse(responseCode = "422", description = "Idempotency-Key reused with another body")
@ApiResponse(responseCode = "503", description = "Shutting down; see Retry-After")
@ApiResponse(responseCode = "429", description = "Too many queued tasks; see Retry-After")
@interface JobSubmissionResponses {

}
