package dev.jobpool.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes problem+json answers from servlet filters, which run before Spring MVC and its
 * exception handler: the same shape and codes as {@link ApiExceptionHandler}. Counts the
 * rejections that concern job submission.
 */
@Component
public class ProblemResponses {

	private final JsonMapper json;

	private final MeterRegistry registry;

	ProblemResponses(JsonMapper json, MeterRegistry registry) {
		this.json = json;
		this.registry = registry;
		for (String reason : new String[] { "queue_full", "shutting_down", "unauthorized" }) {
			rejected(reason);
		}
	}

	/**
	 * Build the problem for a code.
	 * @param code the error code
	 * @param detail what happened
	 * @return the problem, with {@code type}, {@code title} and {@code code} set
	 */
	public static ProblemDetail problem(ApiErrorCode code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
		problem.setType(code.type());
		problem.setTitle(code.title());
		problem.setProperty("code", code.code());
		return problem;
	}

	/**
	 * Write a problem as the response.
	 * @param request the request, for the problem's {@code instance}
	 * @param response where to write
	 * @param code the error code
	 * @param detail what happened
	 * @throws IOException if the response cannot be written
	 */
	public void write(HttpServletRequest request, HttpServletResponse response, ApiErrorCode code, String detail)
			throws IOException {
		if (code == ApiErrorCode.UNAUTHORIZED) {
			countRejected(code);
		}
		write(request.getRequestURI(), response, code, code.status().value(), detail);
	}

	void write(String instance, HttpServletResponse response, ApiErrorCode code, int status, String detail)
			throws IOException {
		ProblemDetail problem = problem(code, detail);
		problem.setStatus(status);
		try {
			problem.setInstance(URI.create(instance));
		}
		catch (IllegalArgumentException ex) {
			// A path the container refused may not even be a URI: leave instance out.
		}
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * Count a refused job submission or request.
	 * @param code why: queue full, shutting down or unauthorized
	 */
	public void countRejected(ApiErrorCode code) {
		rejected(code.code()).increment();
	}

	private Counter rejected(String reason) {
		return Counter.builder("jobpool.jobs.rejected")
			.description("Requests refused: queue full, shutting down or unauthorized")
			.tag("reason", reason)
			.register(this.registry);
	}

}
