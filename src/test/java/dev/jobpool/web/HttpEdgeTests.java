package dev.jobpool.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.jobpool.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP edges answered over real HTTP: wrong methods on the submission paths.
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

}
