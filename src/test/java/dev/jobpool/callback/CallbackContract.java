package dev.jobpool.callback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.LoopbackExtension;
import dev.jobpool.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks against a real receiver on loopback, in each store: retried until taken,
 * signed the Standard Webhooks way with the same id and body on every attempt, stopped by
 * {@code 410 Gone}, bounded by the timeout, and never sent where fetches may not go.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.callbacks.secret=" + CallbackContract.SECRET, "jobpool.callbacks.first-retry=200ms",
				"jobpool.callbacks.timeout=1s", "jobpool.callbacks.max-attempts=3",
				"jobpool.callbacks.poll-interval=50ms" })
public abstract class CallbackContract {

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private static WebhookReceiver receiver;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startReceiver() throws Exception {
		receiver = new WebhookReceiver();
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	private ApiClient api() {
		return loopback.api();
	}

	private String submit(String path, String callbackUrl) {
		ApiClient.Response response = api().post(path,
				"{\"numbers\":[10,20],\"callback\":{\"url\":\"" + callbackUrl + "\"}}");
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("id").asString();
	}

	private JsonNode awaitCallback(String id, String status) {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> api().get("/api/jobs/" + id).json().get("callback"),
					(callback) -> callback.get("status").asString().equals(status));
	}

	@Test
	void aFailedDeliveryIsRetriedWithTheSameIdAndBodyAndBothSignaturesVerify() throws Exception {
		String url = receiver.url("/flaky-" + System.nanoTime(), 503, 200);
		String path = url.substring(url.lastIndexOf('/'));
		String id = submit("/api/jobs/sum", url);

		JsonNode callback = awaitCallback(id, "delivered");

		assertThat(callback.get("attempts").asInt()).isEqualTo(2);
		assertThat(callback.get("lastStatusCode").asInt()).isEqualTo(200);
		assertThat(callback.get("deliveredAt").asString()).isNotEmpty();
		assertThat(callback.has("lastError")).isFalse();
		List<WebhookReceiver.Received> deliveries = receiver.received(path);
		assertThat(deliveries).hasSize(2);
		assertThat(deliveries).extracting(WebhookReceiver.Received::id).containsOnly(deliveries.get(0).id());
		assertThat(deliveries.get(1).body()).isEqualTo(deliveries.get(0).body());
		assertThat(deliveries).allSatisfy((delivery) -> assertThat(delivery.signature())
			.isEqualTo("v1," + hmac(delivery.id() + "." + delivery.timestamp() + "." + delivery.body())));
		assertThat(Long.parseLong(deliveries.get(1).timestamp()))
			.isGreaterThanOrEqualTo(Long.parseLong(deliveries.get(0).timestamp()));
		JsonNode body = this.json.readTree(deliveries.get(0).body());
		assertThat(body.get("type").asString()).isEqualTo("job.succeeded");
		assertThat(body.get("timestamp").asString()).isEqualTo(body.get("data").get("finishedAt").asString());
		assertThat(body.get("data").get("id").asString()).isEqualTo(id);
		assertThat(body.get("data").get("result").get("total").asLong()).isEqualTo(45 + 190);
		assertThat(body.get("data").get("tasks")).hasSize(2);
		assertThat(api().get("/actuator/prometheus").body())
			.contains("jobpool_callback_deliveries_total{application=\"jobpool\",outcome=\"retried\"}")
			.contains("jobpool_callback_seconds_count{");
	}

	@Test
	void aGoneReceiverStopsTheDeliveriesAtOnce() {
		String url = receiver.url("/gone-" + System.nanoTime(), 410);
		String id = submit("/api/jobs/sum", url);

		JsonNode callback = awaitCallback(id, "failed");

		assertThat(callback.get("attempts").asInt()).isEqualTo(1);
		assertThat(callback.get("lastStatusCode").asInt()).isEqualTo(410);
		assertThat(callback.get("lastError").get("code").asString()).isEqualTo("gone");
		assertThat(receiver.received(url.substring(url.lastIndexOf('/')))).hasSize(1);
	}

	@Test
	void aReceiverThatNeverAnswersTimesOutAndIsRetriedUpToTheLastAttempt() {
		String url = receiver.url("/silent-" + System.nanoTime(), 0);
		String id = submit("/api/jobs/sum", url);

		JsonNode callback = awaitCallback(id, "failed");

		assertThat(callback.get("attempts").asInt()).isEqualTo(3);
		assertThat(callback.get("lastError").get("code").asString()).isEqualTo("timeout");
		assertThat(callback.has("lastStatusCode")).isFalse();
		assertThat(receiver.received(url.substring(url.lastIndexOf('/')))).hasSize(3);
	}

	@Test
	void aCallbackToABlockedAddressIsNeverSent() {
		String self = "http://127.0.0.1:" + loopback.port() + "/api/jobs";
		String id = submit("/api/jobs/sum", self);

		JsonNode callback = awaitCallback(id, "failed");

		assertThat(callback.get("attempts").asInt()).isEqualTo(1);
		assertThat(callback.get("lastError").get("code").asString()).isEqualTo("blocked");
		assertThat(callback.get("lastError").get("message").asString()).contains("this service itself");
		assertThat(api().get("/actuator/prometheus").body())
			.contains("jobpool_callback_deliveries_total{application=\"jobpool\",outcome=\"blocked\"}");
	}

	@Test
	void aCancelledFetchJobCallsBackWithItsType() {
		String url = receiver.url("/cancelled-" + System.nanoTime(), 204);
		ApiClient.Response response = api().post("/api/jobs/fetch", "{\"urls\":[\""
				+ loopback.pages().url("/delay?ms=20000") + "\"],\"callback\":{\"url\":\"" + url + "\"}}");
		String id = response.json().get("id").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api().get("/api/jobs/" + id).json().get("status").asString().equals("running"));

		api().delete("/api/jobs/" + id);

		awaitCallback(id, "delivered");
		JsonNode body = this.json.readTree(receiver.received(url.substring(url.lastIndexOf('/'))).get(0).body());
		assertThat(body.get("type").asString()).isEqualTo("job.cancelled");
		assertThat(body.get("data").get("status").asString()).isEqualTo("cancelled");
	}

	@Test
	void aBadCallbackUrlIsRefusedNamingTheField() {
		ApiClient.Response response = api().post("/api/jobs/sum",
				"{\"numbers\":[1],\"callback\":{\"url\":\"ftp://x\"}}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("callback.url");
		ApiClient.Response missing = api().post("/api/jobs/fetch",
				"{\"urls\":[\"http://127.0.0.1/\"],\"callback\":{}}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("callback.url");
	}

	private static String hmac(String content) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
		return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
	}

}
