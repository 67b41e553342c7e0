package dev.jobpool.job;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event streams hold bounded memory: clients that never read are dropped, and past
 * {@code max-subscribers} the slowest stream ends with a {@code dropped} event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobpool.jobs.max-numbers-per-job=20000", "jobpool.events.send-timeout=3s",
				"jobpool.events.max-subscribers=8" })
class JobEventBoundsTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

	@Test
	void clientsThatNeverReadAreDroppedAndAReaderStillGetsTheWholeStream() throws Exception {
		String numbers = String.join(",", Collections.nCopies(20000, "1"));
		String location = loopback.api()
			.post("/api/jobs/sum?wait=60", "{\"numbers\":[" + numbers + "],\"executor\":\"platform\"}")
			.header("Location");
		assertThat(loopback.api().get(location).json().get("status").asString()).isEqualTo("succeeded");
		double droppedBefore = metric("jobpool_events_dropped_total\\{[^}]*reason=\"send-timeout\"");

		for (int i = 0; i < 6; i++) {
			neverReading(location + "/events");
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> metric("jobpool_events_subscribers") >= 6);

		List<String> events = read(location + "/events");
		assertThat(events).filteredOn("task"::equals).hasSize(20000);
		assertThat(events.getLast()).isEqualTo("job");

		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(metric("jobpool_events_subscribers")).isZero());
		assertThat(metric("jobpool_events_dropped_total\\{[^}]*reason=\"send-timeout\"")).isEqualTo(droppedBefore + 6);
		this.sockets.forEach(JobEventBoundsTests::closeQuietly);
	}

	@Test
	void pastMaxSubscribersTheSlowestStreamEndsWithADroppedEvent() throws Exception {
		String location = loopback.api()
			.post("/api/jobs/sum", "{\"numbers\":[10000000000,10000000000],\"executor\":\"platform\"}")
			.header("Location");
		Socket first = connect(location + "/events");
		await().atMost(Duration.ofSeconds(20)).until(() -> metric("jobpool_events_subscribers") >= 1);
		List<Socket> others = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			others.add(connect(location + "/events"));
		}

		BufferedReader reader = new BufferedReader(
				new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
		List<String> lines = reader.lines().toList();
		assertThat(lines).contains("event:dropped");
		assertThat(lines).anySatisfy((line) -> assertThat(line).startsWith("data:").contains("too many subscribers"));
		assertThat(metric("jobpool_events_dropped_total\\{[^}]*reason=\"too-many-subscribers\""))
			.isGreaterThanOrEqualTo(1);
		loopback.api().delete(location);
		closeQuietly(first);
		others.forEach(JobEventBoundsTests::closeQuietly);
	}

	private void neverReading(String path) throws Exception {
		this.sockets.add(connect(path));
	}

	private Socket connect(String path) throws Exception {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.setSoTimeout(60_000);
		socket.connect(new InetSocketAddress("127.0.0.1", loopback.port()));
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private List<String> read(String path) throws Exception {
		List<String> names = new ArrayList<>();
		try (Socket socket = connect(path)) {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith("event:")) {
					names.add(line.substring(6).trim());
					if (names.getLast().equals("job")) {
						break;
					}
				}
			}
		}
		return names;
	}

	private double metric(String regex) {
		Matcher matcher = Pattern.compile("(?m)^" + regex + "[^ ]* ([0-9.eE+-]+)$")
			.matcher(loopback.api().get("/actuator/prometheus").body());
		double total = 0;
		while (matcher.find()) {
			total += Double.parseDouble(matcher.group(1));
		}
		return total;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
