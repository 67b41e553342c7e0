package dev.jobpool.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetch URLs over real HTTP on a random port: what is refused at submission with a 400
 * naming the URL's field, and what a refused fetch tells its caller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FetchUrlSubmissionTests {

	private static final String PASSWORD = "s3cret-pw";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:65536/", "http://127.0.0.1:0/", "http://[::1]:99999/",
			"http://example.com:2147483648/", "https://example.com:99999999999999/x" })
	void aPortOutOfRangeIsA400NamingTheUrl(String url) {
		JsonNode error = onlyError(loopback.api()
			.post("/api/jobs/fetch",
					"{\"urls\":[\"http://127.0.0.1:1/\",\"http://127.0.0.1:1/\",\"http://127.0.0.1:1/\",\"" + url
							+ "\"]}"));
		assertThat(error.get("field").asString()).isEqualTo("urls[3]");
		assertThat(error.get("message").asString()).startsWith("must have a port between 1 and 65535, was ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://user:" + PASSWORD + "@example.com/", "http://:" + PASSWORD + "@example.com/",
			"http://" + PASSWORD + "@example.com:8080/", "http://user:" + PASSWORD + "@[::1]:8080/",
			"http://user:" + PASSWORD + "@0x7f.1/", "https://user:" + PASSWORD + "@example.com:65536/" })
	void aUrlWithCredentialsIsA400ThatNeverEchoesThem(String url) {
		ApiClient.Response response = loopback.api().post("/api/jobs/fetch", "{\"urls\":[\"" + url + "\"]}");
		JsonNode error = onlyError(response);
		assertThat(error.get("field").asString()).isEqualTo("urls[0]");
		assertThat(error.get("message").asString()).isEqualTo("must not contain credentials (user:password@)");
		assertThat(response.body()).doesNotContain(PASSWORD);
	}

	@Test
	void aBlockedFetchSaysHowToAllowIt() {
		// 127.0.0.1 is allowed in the tests; the rest of loopback is not.
		JsonNode job = loopback.api().post("/api/jobs/fetch?wait=30", "{\"urls\":[\"http://127.0.0.2:1/\"]}").json();
		JsonNode error = job.get("tasks").get(0).get("error");
		assertThat(error.get("code").asString()).isEqualTo("blocked");
		assertThat(error.get("message").asString()).isEqualTo("127.0.0.2 is in a blocked range (loopback 127.0.0.0/8);"
				+ " to allow it, add 127.0.0.2 to jobpool.fetch.allowed-hosts (JOBPOOL_FETCH_ALLOWED_HOSTS)");
	}

	private static JsonNode onlyError(ApiClient.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		JsonNode problem = response.json();
		assertThat(problem.get("code").asString()).isEqualTo("invalid_request");
		assertThat(problem.get("errors")).as(response.body()).hasSize(1);
		return problem.get("errors").get(0);
	}

}
