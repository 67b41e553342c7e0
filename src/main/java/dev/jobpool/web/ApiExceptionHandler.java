package dev.jobpool.web;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 {@code application/problem+json} answer with a
 * stable {@code code} property: the one place where exceptions meet HTTP.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final ProblemResponses problems;

	ApiExceptionHandler(ProblemResponses problems) {
		this.problems = problems;
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidRequest(InvalidRequestException ex) {
		return problem(ApiErrorCode.INVALID_REQUEST, ex.getMessage(), ex.violations(), new HttpHeaders());
	}

	@ExceptionHandler
	ResponseEntity<Object> apiException(ApiException ex) {
		if (ex.countsAsRejected()) {
			this.problems.countRejected(ex.code());
		}
		Duration delay = ex.retryAfter();
		return problem(ex.code(), ex.getMessage(), ex.violations().isEmpty() ? null : ex.violations(),
				(delay != null) ? retryAfter(delay) : new HttpHeaders());
	}

	private static HttpHeaders retryAfter(Duration delay) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, delay.toSeconds())));
		return headers;
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex) {
		if (ex instanceof ErrorResponse errorResponse) {
			return problem(ApiErrorCode.forStatus(errorResponse.getStatusCode()), errorResponse.getBody().getDetail(),
					null, errorResponse.getHeaders());
		}
		logger.error("Unexpected error", ex);
		return problem(ApiErrorCode.INTERNAL_ERROR, "An unexpected error occurred; it has been logged", null,
				new HttpHeaders());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return problem(ApiErrorCode.INVALID_REQUEST, "The request body is not valid: " + describe(ex),
				List.of(new FieldViolation(fieldOf(ex), describe(ex))), headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		String message = "must be of type " + ((ex.getRequiredType() != null)
				? ex.getRequiredType().getSimpleName().toLowerCase() : "the right type") + ", was '" + ex.getValue()
				+ "'";
		return problem(ApiErrorCode.INVALID_REQUEST, field + ": " + message,
				List.of(new FieldViolation(field, message)), headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return problem(ApiErrorCode.INVALID_REQUEST, ex.getParameterName() + ": is required",
				List.of(new FieldViolation(ex.getParameterName(), "is required")), headers);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			ApiErrorCode code = ApiErrorCode.forStatus(statusCode);
			if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
				problem.setProperty("code", code.code());
			}
			if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
				problem.setType(code.type());
			}
		}
		return (response != null) ? response
				: problem(ApiErrorCode.forStatus(statusCode), ex.getMessage(), null, headers);
	}

	private static ResponseEntity<Object> problem(ApiErrorCode code, @Nullable String detail,
			@Nullable List<FieldViolation> violations, HttpHeaders headers) {
		ProblemDetail problem = ProblemResponses.problem(code, (detail != null) ? detail : code.title());
		if (violations != null) {
			problem.setProperty("errors", violations);
		}
		return ResponseEntity.status(code.status()).headers(headers).body(problem);
	}

	private static String fieldOf(HttpMessageNotReadableException ex) {
		if (ex.getCause() instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			StringBuilder path = new StringBuilder();
			for (JacksonException.Reference reference : jackson.getPath()) {
				if (reference.getPropertyName() != null) {
					path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
				}
				else if (reference.getIndex() >= 0) {
					path.append('[').append(reference.getIndex()).append(']');
				}
			}
			return path.toString();
		}
		return "body";
	}

	private static String describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		return switch (cause) {
			case UnrecognizedPropertyException unknown -> "unknown field '" + unknown.getPropertyName() + "'";
			case InvalidFormatException invalid ->
				"'" + invalid.getValue() + "' is not a valid " + invalid.getTargetType().getSimpleName().toLowerCase();
			case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
				"expected " + describeType(mismatch.getTargetType()) + " but found something else";
			case StreamReadException malformed -> "malformed JSON: " + firstSentence(malformed.getOriginalMessage());
			case JacksonException other -> other.getOriginalMessage();
			case null -> "the request body is missing";
			default -> "the request body is missing or unreadable";
		};
	}

	private static String firstSentence(String message) {
		int end = message.indexOf(" (");
		int colon = message.indexOf(": expected");
		return (end > 0) ? message.substring(0, end) : (colon > 0) ? message.substring(0, colon) : message;
	}

	private static String describeType(Class<?> type) {
		if (List.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
			return "a number";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		return "an object";
	}

}
