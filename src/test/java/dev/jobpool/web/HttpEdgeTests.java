package dev.jobpool.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP edges answered over real HTTP: wrong methods on the submission paths, bodies past
 * what an endpoint can need, problem-aware clients, requests the container refuses before
 * the application sees them, bodies that never arrive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "jobpool.web.body-read-timeout=1s")
class HttpEdgeTests {

	private static final String HEAD = "Host: 127.0.0.1\r\nConnection: close\r\n";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void getOnASubmissionPathIsAMethodNotAllowed() {
		ApiClient api = loopback.api();
		for (String path : new String[] { "/api/jobs/sum", "/api/jobs/fetch" }) {
			ApiClient.Response response = api.get(path);
			assertThat(response.status()).as(path).isEqualTo(405);
			assertThat(response.raw().headers().firstValue("Allow")).contains("POST");
			assertThat(response.json().get("code").asString()).isEqualTo("method_not_allowed");
		}
	}

	@Test
	void aSumBodyFarPastWhatItsNumbersCanNeedIsRefusedAsTooLarge() {
		String body = "{\"numbers\":[" + "1,".repeat(50_000) + "1]}";

		ApiClient.Response response = loopback.api().post("/api/jobs/sum", body);

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().get("code").asString()).isEqualTo("payload_too_large");
	}

	@Test
	void parsingStopsAtTheFirstNumberPastTheLimit() {
		String body = "{\"numbers\":[" + "1,".repeat(1001) + " this is never read";

		ApiClient.Response response = loopback.api().post("/api/jobs/sum", body);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("numbers");
		assertThat(response.json().get("errors").get(0).get("message").asString())
			.startsWith("must have at most 1000 items");
	}

	@Test
	void parsingStopsAtTheFirstUrlPastTheLimit() {
		String body = "{\"urls\":[" + "\"http://127.0.0.1/\",".repeat(10_001) + " this is never read";

		ApiClient.Response response = loopback.api().post("/api/jobs/fetch", body);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("urls");
		assertThat(response.json().get("errors").get(0).get("message").asString())
			.startsWith("must have at most 10000 items");
	}

	@Test
	void elementErrorsStillNameTheirIndex() {
		ApiClient.Response response = loopback.api().post("/api/jobs/sum", "{\"numbers\":[1,\"x\"]}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("numbers[1]");
	}

	@Test
	void aProblemAwareClientGetsTheRealError() {
		ApiClient api = loopback.api();

		ApiClient.Response invalid = api.send(HttpRequest.newBuilder(api.uri("/api/jobs/sum"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/problem+json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"numbers\":[]}")));
		ApiClient.Response missing = api.send(
				HttpRequest.newBuilder(api.uri("/api/jobs/no-such-job")).header("Accept", "application/problem+json"));

		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.contentType()).startsWith("application/problem+json");
		assertThat(invalid.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.json().get("code").asString()).isEqualTo("job_not_found");
		ApiClient.Response list = api
			.send(HttpRequest.newBuilder(api.uri("/api/jobs")).header("Accept", "application/problem+json"));
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.contentType()).startsWith("application/json");
	}

	@Test
	void requestsTheContainerRefusesAreProblemsWithACode() throws IOException {
		String post = "POST /api/jobs/sum HTTP/1.1\r\n" + HEAD;
		String[][] cases = {
				{ post + "Content-Type: application/json\u0001\r\nContent-Length: 2\r\n\r\n{}", "400", "bad_request" },
				{ "GET /api/jobs/a%2fb HTTP/1.1\r\n" + HEAD + "\r\n", "400", "bad_request" },
				{ "GET /api/jobs/a%00b HTTP/1.1\r\n" + HEAD + "\r\n", "400", "bad_request" },
				{ post + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}", "400", "bad_request" },
				{ "GET /api/jobs HTTP/1.1\r\n" + HEAD + "X-Flood: 1\r\n".repeat(200) + "\r\n", "400", "bad_request" },
				{ "GET /api/jobs HTTP/1.1\r\n" + HEAD + "X-Big: " + "b".repeat(10_000) + "\r\n\r\n", "400",
						"bad_request" },
				{ post + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ "0\r\n\r\n", "400", "invalid_request" },
				{ post + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n", "501",
						"not_implemented" },
				{ "GET /no-such-page HTTP/1.1\r\n" + HEAD + "Accept: text/html\r\n\r\n", "404", "not_found" } };
		for (String[] c : cases) {
			String request = c[0];
			String answer = exchange(request, Duration.ofSeconds(30));
			String what = request.substring(0, Math.min(120, request.length()));
			assertThat(answer).as(what).startsWith("HTTP/1.1 " + c[1]);
			assertThat(answer).as(what).containsIgnoringCase("Content-Type: application/problem+json");
			assertThat(answer).as(what).contains("\"code\":\"" + c[2] + "\"");
		}
	}

	@Test
	void aBodyThatNeverArrivesIsAnsweredAndTheConnectionClosed() throws IOException {
		String request = "POST /api/jobs/sum HTTP/1.1\r\n" + HEAD
				+ "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"numbers\":[1,";

		String answer = exchange(request, Duration.ofSeconds(15));

		assertThat(answer).startsWith("HTTP/1.1 408");
		assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(answer).contains("\"code\":\"request_timeout\"");
	}

	/**
	 * Send a raw request and read until the server closes the connection, within the
	 * given time.
	 */
	private String exchange(String request, Duration within) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", loopback.port())) {
			socket.setSoTimeout((int) within.toMillis());
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
