package dev.jobpool.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Answers the errors Tomcat raises before the application sees the request (an invalid
 * path or header, say) as problem+json with a {@code code}, in place of Tomcat's HTML
 * page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(body(status));
			}
			response.finishResponse();
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is already on its way: nothing to tell.
		}
	}

	static String body(int status) {
		ApiErrorCode code = ApiErrorCode.forStatus(HttpStatusCode.valueOf(status));
		HttpStatus known = HttpStatus.resolve(status);
		String detail = (known != null) ? known.getReasonPhrase() : code.title();
		return "{\"type\":\"" + code.type() + "\",\"title\":\"" + code.title() + "\",\"status\":" + status
				+ ",\"detail\":\"The server refused the request: " + detail + "\",\"code\":\"" + code.code() + "\"}";
	}

}
