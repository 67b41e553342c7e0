package dev.jobpool.web;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.jobpool.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP edges answered over real HTTP: wrong methods on the submission paths, bodies past
 * what an endpoint can need, problem-aware clients.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpEdgeTests {

	@LocalServerPort
	int port;

	@Test
	void getOnASubmissionPathIsAMethodNotAllowed() {
		ApiClient api = new ApiClient(this.port);
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

		ApiClient.Response response = new ApiClient(this.port).post("/api/jobs/sum", body);

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().get("code").asString()).isEqualTo("payload_too_large");
	}

	@Test
	void parsingStopsAtTheFirstNumberPastTheLimit() {
		String body = "{\"numbers\":[" + "1,".repeat(1001) + " this is never read";

		ApiClient.Response response = new ApiClient(this.port).post("/api/jobs/sum", body);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("numbers");
		assertThat(response.json().get("errors").get(0).get("message").asString())
			.startsWith("must have at most 1000 items");
	}

	@Test
	void parsingStopsAtTheFirstUrlPastTheLimit() {
		String body = "{\"urls\":[" + "\"http://127.0.0.1/\",".repeat(10_001) + " this is never read";

		ApiClient.Response response = new ApiClient(this.port).post("/api/jobs/fetch", body);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("urls");
		assertThat(response.json().get("errors").get(0).get("message").asString())
			.startsWith("must have at most 10000 items");
	}

	@Test
	void elementErrorsStillNameTheirIndex() {
		ApiClient.Response response = new ApiClient(this.port).post("/api/jobs/sum", "{\"numbers\":[1,\"x\"]}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("numbers[1]");
	}

	@Test
	void aProblemAwareClientGetsTheRealError() {
		ApiClient api = new ApiClient(this.port);

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

}
