package dev.jobpool.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Renders the errors that reach the container's error page, outside Spring MVC's
 * exception handling (a filter's {@code sendError}, an exception thrown in a filter), as
 * problem+json with a {@code code} derived from the status, in place of Boot's
 * {@code {timestamp,status,error}}.
 */
@Controller
class ProblemErrorController implements ErrorController {

	private final ProblemResponses problems;

	ProblemErrorController(ProblemResponses problems) {
		this.problems = problems;
	}

	@RequestMapping("${server.error.path:${error.path:/error}}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		int status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code) ? code
				: HttpStatus.INTERNAL_SERVER_ERROR.value();
		HttpStatus known = HttpStatus.resolve(status);
		ApiErrorCode code = ApiErrorCode.forStatus(HttpStatusCode.valueOf(status));
		String uri = (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) ? original
				: request.getRequestURI();
		String detail = (code == ApiErrorCode.INTERNAL_ERROR) ? "An unexpected error occurred"
				: (known != null) ? known.getReasonPhrase() : code.title();
		response.resetBuffer();
		this.problems.write(uri, response, code, status, detail);
	}

}
