package dev.jobpool;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follows a job's Server-Sent Events over real HTTP to the end of the stream, as
 * {@code curl -N} would.
 */
public final class EventStream {

	private static final JsonMapper json = JsonMapper.builder().build();

	private EventStream() {
	}

	/**
	 * Read an event stream until the server ends it.
	 * @param api the service
	 * @param path the stream's path, e.g. {@code /api/jobs/ID/events}
	 * @param timeout how long the whole stream may take
	 * @return every event, in the order sent
	 */
	public static List<Event> follow(ApiClient api, String path, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(api.uri(path))
			.header("Accept", "text/event-stream")
			.timeout(timeout)
			.build();
		HttpResponse<Stream<String>> response;
		try {
			response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		List<Event> events = new ArrayList<>();
		String name = null;
		StringBuilder data = new StringBuilder();
		try (Stream<String> lines = response.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.startsWith("event:")) {
					name = line.substring(6).trim();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5));
				}
				else if (line.isEmpty() && name != null) {
					events.add(new Event(name, json.readTree(data.toString())));
					name = null;
					data.setLength(0);
				}
			}
		}
		return events;
	}

	/**
	 * One event.
	 *
	 * @param name its {@code event:} name
	 * @param data its {@code data:} as JSON
	 */
	public record Event(String name, JsonNode data) {
	}

}
