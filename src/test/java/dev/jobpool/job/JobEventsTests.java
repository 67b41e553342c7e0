package dev.jobpool.job;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.ApiClient;
import dev.jobpool.EventStream;
import dev.jobpool.EventStream.Event;
import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Following a job as Server-Sent Events over real HTTP, as {@code curl -N} would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobEventsTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void streamsEachTaskInCompletionOrderThenTheJobAndEnds() {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[40000000,20000000,1000],\"executor\":\"platform\"}")
			.header("Location");

		List<Event> events = follow(location + "/events");

		List<Event> tasks = events.stream().filter((event) -> event.name().equals("task")).toList();
		List<Event> progress = events.stream().filter((event) -> event.name().equals("progress")).toList();
		assertThat(tasks).hasSize(3);
		assertThat(tasks).extracting((event) -> event.data().get("index").asInt()).containsExactlyInAnyOrder(0, 1, 2);
		assertThat(tasks)
			.allSatisfy((event) -> assertThat(event.data().get("status").asString()).isEqualTo("succeeded"));
		assertThat(progress).extracting((event) -> event.data().get("done").asInt()).containsExactly(1, 2, 3);
		Event last = events.get(events.size() - 1);
		assertThat(last.name()).isEqualTo("job");
		assertThat(last.data().get("status").asString()).isEqualTo("succeeded");
		assertThat(last.data().get("tasks")).hasSize(3);
	}

	@Test
	void aLateSubscriberGetsTheTasksAlreadyDoneFirst() {
		String location = loopback.api()
			.post("/api/jobs/sum?wait=30", "{\"numbers\":[1,2,3,4],\"executor\":\"sequential\"}")
			.header("Location");

		List<Event> events = follow(location + "/events");

		assertThat(events).extracting(Event::name)
			.containsExactly("task", "progress", "task", "progress", "task", "progress", "task", "progress", "job");
		assertThat(events.stream().filter((event) -> event.name().equals("task")))
			.extracting((event) -> event.data().get("index").asInt())
			.containsExactly(0, 1, 2, 3);
	}

	@Test
	void anUnknownJobIsA404Problem() {
		ApiClient.Response response = loopback.api().get("/api/jobs/nope/events");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("code").asString()).isEqualTo("job_not_found");
	}

	private List<Event> follow(String path) {
		return EventStream.follow(loopback.api(), path, Duration.ofSeconds(60));
	}

}
