package dev.jobpool.task;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.jobpool.task.TaskErrorCode;

/**
 * Why a task failed: the one vocabulary of task error codes, written to JSON as
 * {@link #code()}.
 */
public enum TaskErrorCode {

	/** The task ran past its deadline ({@code timeoutMs}). */
	TIMEOUT("timeout"),
	/** The job was cancelled before or while the task ran. */
	CANCELLED("cancelled"),
	/** The host name could not be resolved. */
	DNS("dns"),
	/** No connection could be made (refused, unreachable, connect timeout). */
	CONNECT("connect"),
	/** The TLS handshake failed. */
	TLS("tls"),
	/** The connection broke or the peer spoke something that is not HTTP. */
	IO("io"),
	/** The response body passed the configured size limit. */
	TOO_LARGE("too_large"),
	/** The URL, or an address it resolved to, is not allowed. */
	BLOCKED("blocked"),
	/** Redirects went past the limit or looped. */
	TOO_MANY_REDIRECTS("too_many_redirects"),
	/** The worker process running the task died. */
	WORKER_LOST("worker_lost"),
	/** An unexpected error inside the service. */
	INTERNAL("internal");

	private final String code;

	TaskErrorCode(String code) {
		this.code = code;
	}

	/**
	 * Return the stable code written to JSON.
	 * @return the code, for example {@code "timeout"}
	 */
	@JsonValue
	public String code() {
		return this.code;
	}

}
