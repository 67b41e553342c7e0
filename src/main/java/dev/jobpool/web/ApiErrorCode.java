package dev.jobpool.web;

import java.net.URI;
import java.util.Arrays;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The one vocabulary of API error codes: each problem+json answer carries one as its
 * {@code code} property, and its {@code type} is derived from it.
 */
public enum ApiErrorCode {

	/**
	 * The request's body, a parameter or a field is wrong; {@code errors} names the
	 * fields.
	 */
	INVALID_REQUEST("invalid_request", HttpStatus.BAD_REQUEST, "Invalid request"),
	/** The API key is missing or wrong. */
	UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized"),
	/** No job has the id, or it was evicted. */
	JOB_NOT_FOUND("job_not_found", HttpStatus.NOT_FOUND, "Job not found"),
	/** No benchmark has the id, or it was evicted. */
	BENCHMARK_NOT_FOUND("benchmark_not_found", HttpStatus.NOT_FOUND, "Benchmark not found"),
	/** No such path. */
	NOT_FOUND("not_found", HttpStatus.NOT_FOUND, "Not found"),
	/** The path exists but not with this method. */
	METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
	/** The response cannot be given in an accepted media type. */
	NOT_ACCEPTABLE("not_acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
	/** The same Idempotency-Key came with a different request body. */
	IDEMPOTENCY_KEY_REUSED("idempotency_key_reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused"),
	/** The job has already finished and cannot be cancelled. */
	JOB_ALREADY_FINISHED("job_already_finished", HttpStatus.CONFLICT, "Job already finished"),
	/** The benchmark has already finished and cannot be cancelled. */
	BENCHMARK_ALREADY_FINISHED("benchmark_already_finished", HttpStatus.CONFLICT, "Benchmark already finished"),
	/** The request body is larger than allowed. */
	PAYLOAD_TOO_LARGE("payload_too_large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
	/** The request body is not JSON. */
	UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
	/** Too many tasks wait: try again after {@code Retry-After}. */
	QUEUE_FULL("queue_full", HttpStatus.TOO_MANY_REQUESTS, "Too many queued tasks"),
	/**
	 * Too many benchmarks wait (they run one at a time): try again after
	 * {@code Retry-After}.
	 */
	BENCHMARK_QUEUE_FULL("benchmark_queue_full", HttpStatus.TOO_MANY_REQUESTS, "Too many queued benchmarks"),
	/** The service is stopping and takes no new jobs. */
	SHUTTING_DOWN("shutting_down", HttpStatus.SERVICE_UNAVAILABLE, "Service shutting down"),
	/** The shared job store (Redis) cannot be reached; try again after Retry-After. */
	STORE_UNAVAILABLE("store_unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Job store unavailable"),
	/** The request body did not arrive in time. */
	REQUEST_TIMEOUT("request_timeout", HttpStatus.REQUEST_TIMEOUT, "Request timeout"),
	/**
	 * The request asks for something the server does not do, such as a transfer coding.
	 */
	NOT_IMPLEMENTED("not_implemented", HttpStatus.NOT_IMPLEMENTED, "Not implemented"),
	/** Any other client error. */
	BAD_REQUEST("bad_request", HttpStatus.BAD_REQUEST, "Bad request"),
	/** An unexpected error inside the service. */
	INTERNAL_ERROR("internal_error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private final String code;

	private final HttpStatus status;

	private final String title;

	ApiErrorCode(String code, HttpStatus status, String title) {
		this.code = code;
		this.status = status;
		this.title = title;
	}

	/**
	 * Return the stable code.
	 * @return the code, for example {@code "invalid_request"}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Return the HTTP status that goes with the code.
	 * @return the status
	 */
	public HttpStatus status() {
		return this.status;
	}

	/**
	 * Return a short summary of the problem type.
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * Return the problem type URI.
	 * @return {@code urn:jobpool:problem:<code>}
	 */
	public URI type() {
		return URI.create("urn:jobpool:problem:" + this.code);
	}

	/**
	 * Return the code that stands for an HTTP status when nothing more specific is known.
	 * @param status the status
	 * @return the code
	 */
	static ApiErrorCode forStatus(HttpStatusCode status) {
		if (status.value() == HttpStatus.NOT_FOUND.value()) {
			return NOT_FOUND;
		}
		if (status.value() == HttpStatus.BAD_REQUEST.value()) {
			return BAD_REQUEST;
		}
		return Arrays.stream(values())
			.filter((code) -> code.status.value() == status.value())
			.findFirst()
			.orElse(status.is4xxClientError() ? BAD_REQUEST : INTERNAL_ERROR);
	}

}
