package dev.jobpool.job.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's tasks' hash kept by letter and number: every field reads back as written,
 * whether it came by name or as Redis's bytes, and names of another form are kept too.
 */
class TaskFieldsTests {

	@Test
	void fieldsNamedLetterAndNumberReadBackByLetterAndNumberAndByName() {
		TaskFields fields = TaskFields.of(Map.of("s:0", "100", "u:0", "{\"sum\":\"0\"}", "w:7", "worker", "e:7", "1"));

		assertThat(fields.get('s', 0)).isEqualTo("100");
		assertThat(fields.get('u', 0)).isEqualTo("{\"sum\":\"0\"}");
		assertThat(fields.get('w', 7)).isEqualTo("worker");
		assertThat(fields.get("e:7")).isEqualTo("1");
		assertThat(fields.get('s', 7)).isNull();
		assertThat(fields.get('d', 0)).isNull();
		assertThat(fields.get('s', 1_000_000)).isNull();
		assertThat(fields.size()).isEqualTo(4);
	}

	@Test
	void fieldsStreamedAsBytesReadTheSameAsFieldsByName() {
		Map<String, String> hash = new LinkedHashMap<>();
		for (int task = 0; task < 1000; task++) {
			hash.put("s:" + task, Integer.toString(1000 + task));
			hash.put("u:" + task, "{\"fetch\":{\"finalUrl\":\"http://127.0.0.1/é?i=" + task + "\"}}");
		}
		hash.put("m:3", "3,1000,1001");
		TaskFields streamed = new TaskFields();
		hash.forEach((name, value) -> streamed.onKeyValue(name.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8)));
		TaskFields named = TaskFields.of(hash);

		assertThat(streamed.size()).isEqualTo(named.size()).isEqualTo(2001);
		hash.forEach((name, value) -> {
			assertThat(streamed.get(name)).as(name).isEqualTo(value);
			assertThat(named.get(name)).as(name).isEqualTo(value);
			assertThat(streamed.get(name.charAt(0), Integer.parseInt(name.substring(2)))).as(name).isEqualTo(value);
		});
	}

	@Test
	void namesOfAnotherFormAreKeptByName() {
		Map<String, String> hash = Map.of("sc:ok", "a", "u:01", "b", "u:", "c", "U:1", "d", "u:99999999999", "e", "x",
				"f", "u:-1", "g");
		TaskFields streamed = new TaskFields();
		hash.forEach((name, value) -> streamed.onKeyValue(name.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8)));

		for (TaskFields fields : new TaskFields[] { TaskFields.of(hash), streamed }) {
			hash.forEach((name, value) -> assertThat(fields.get(name)).as(name).isEqualTo(value));
			assertThat(fields.get('u', 1)).as("u:01 is not u:1").isNull();
			assertThat(fields.size()).isEqualTo(hash.size());
		}
	}

	@Test
	void aFieldWrittenTwiceKeepsItsLastValueAndCountsOnce() {
		TaskFields fields = new TaskFields();
		fields.put("e:2", "0");
		fields.put("e:2", "1");
		fields.put("sc:200", "1");
		fields.put("sc:200", "2");

		assertThat(fields.get('e', 2)).isEqualTo("1");
		assertThat(fields.get("sc:200")).isEqualTo("2");
		assertThat(fields.size()).isEqualTo(2);
	}

}
