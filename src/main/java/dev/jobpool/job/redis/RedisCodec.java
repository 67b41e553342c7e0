package dev.jobpool.job.redis;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.jobpool.cluster.ReplicaView;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.execution.WorkerKind;
import dev.jobpool.task.FetchResult;
import dev.jobpool.job.JobType;
import dev.jobpool.job.WorkUnit;
import dev.jobpool.support.Identified;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;

/**
 * The JSON that the store keeps for units of work, their outcomes, workers and inputs.
 * The Lua scripts read some of it ({@code t}, {@code k}, {@code sum}, {@code fetch}), so
 * the names are short and fixed.
 */
final class RedisCodec {

	private static final TypeReference<List<Object>> INPUTS = new TypeReference<>() {
	};

	private static final TypeReference<List<ReplicaView.ExecutorView>> EXECUTORS = new TypeReference<>() {
	};

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A unit of work as stored.
	 *
	 * @param t the task it belongs to
	 * @param k how many units the task has
	 * @param n {@code 0 … n-1} for a whole sum
	 * @param from a chunk's first number
	 * @param to one past a chunk's last number
	 * @param url a fetch's URL
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record StoredUnit(int t, int k, @Nullable Long n, @Nullable Long from, @Nullable Long to, @Nullable String url) {

		TaskWork work() {
			if (this.url != null) {
				return new TaskWork.Fetch(URI.create(this.url));
			}
			if (this.n != null) {
				return new TaskWork.Sum(this.n);
			}
			return new TaskWork.SumRange(orZero(this.from), orZero(this.to));
		}

		/** The unit's job type, read without parsing its URL, for every start and end. */
		JobType type() {
			return (this.url != null) ? JobType.FETCH : JobType.SUM;
		}

		private static long orZero(@Nullable Long value) {
			return (value != null) ? value : 0;
		}

	}

	/**
	 * How a unit ended, as stored.
	 *
	 * @param sum a sum's result, in decimal
	 * @param fetch a fetch's result
	 * @param code the failure's code
	 * @param message the failure's message
	 * @param ms how long the unit ran
	 * @param cpu its CPU time, if known
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record StoredOutcome(@Nullable String sum, @Nullable FetchResult fetch, @Nullable String code,
			@Nullable String message, @Nullable Double ms, @Nullable Double cpu) {

		static StoredOutcome failed(TaskErrorCode code, String message) {
			return new StoredOutcome(null, null, code.code(), message, null, null);
		}

		@Nullable TaskResult result() {
			return (this.sum != null) ? new TaskResult.Sum(new BigInteger(this.sum)) : this.fetch;
		}

		@Nullable TaskErrorCode errorCode() {
			if (this.code == null) {
				return null;
			}
			for (TaskErrorCode candidate : TaskErrorCode.values()) {
				if (candidate.code().equals(this.code)) {
					return candidate;
				}
			}
			return TaskErrorCode.INTERNAL;
		}

	}

	String unit(WorkUnit unit, int unitsOfTask) {
		StoredUnit stored = switch (unit.work()) {
			case TaskWork.Sum sum -> new StoredUnit(unit.task(), unitsOfTask, sum.n(), null, null, null);
			case TaskWork.SumRange range ->
				new StoredUnit(unit.task(), unitsOfTask, null, range.from(), range.to(), null);
			case TaskWork.Fetch fetch ->
				new StoredUnit(unit.task(), unitsOfTask, null, null, null, fetch.url().toString());
		};
		return this.json.writeValueAsString(stored);
	}

	StoredUnit unit(String stored) {
		return this.json.readValue(stored, StoredUnit.class);
	}

	String outcome(TaskOutcome outcome, @Nullable Double ms, @Nullable Double cpu) {
		StoredOutcome stored = switch (outcome) {
			case TaskOutcome.Succeeded(TaskResult.Sum(BigInteger sum)) ->
				new StoredOutcome(sum.toString(), null, null, null, ms, cpu);
			case TaskOutcome.Succeeded(FetchResult fetch) -> new StoredOutcome(null, fetch, null, null, ms, cpu);
			case TaskOutcome.Failed failed ->
				new StoredOutcome(null, null, failed.code().code(), failed.message(), ms, cpu);
		};
		return this.json.writeValueAsString(stored);
	}

	String outcome(StoredOutcome outcome) {
		return this.json.writeValueAsString(outcome);
	}

	/**
	 * An outcome as stored. A view of 10,000 tasks reads 10,000 of them, so those of the
	 * form this codec writes are read token by token, in about half the time that binding
	 * the record takes; anything else is bound as before.
	 */
	StoredOutcome outcome(String stored) {
		try (JsonParser parser = this.json.createParser(stored)) {
			StoredOutcome outcome = readOutcome(parser);
			if (parser.nextToken() == null) {
				return outcome;
			}
		}
		catch (NotOfOurForm | JacksonException | ArithmeticException ex) {
			// Bound below, which says what is wrong with it, if anything.
		}
		return this.json.readValue(stored, StoredOutcome.class);
	}

	String worker(WorkerInfo worker) {
		return this.json.writeValueAsString(worker);
	}

	/** A worker as stored: read token by token, as {@link #outcome(String)} is. */
	WorkerInfo worker(String stored) {
		try (JsonParser parser = this.json.createParser(stored)) {
			WorkerInfo worker = readWorker(parser);
			if (parser.nextToken() == null) {
				return worker;
			}
		}
		catch (NotOfOurForm | JacksonException | ArithmeticException ex) {
			// As for an outcome.
		}
		return this.json.readValue(stored, WorkerInfo.class);
	}

	private static StoredOutcome readOutcome(JsonParser parser) {
		expect(parser.nextToken(), JsonToken.START_OBJECT);
		String sum = null;
		FetchResult fetch = null;
		String code = null;
		String message = null;
		Double ms = null;
		Double cpu = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			switch (name) {
				case "sum" -> sum = text(parser);
				case "fetch" -> fetch = readFetch(parser);
				case "code" -> code = text(parser);
				case "message" -> message = text(parser);
				case "ms" -> ms = number(parser);
				case "cpu" -> cpu = number(parser);
				default -> throw new NotOfOurForm();
			}
		}
		return new StoredOutcome(sum, fetch, code, message, ms, cpu);
	}

	private static FetchResult readFetch(JsonParser parser) {
		expect(parser.currentToken(), JsonToken.START_OBJECT);
		Long status = null;
		Long bytes = null;
		String contentType = null;
		String finalUrl = null;
		String sha256 = null;
		Double timeToFirstByteMs = null;
		Double totalMs = null;
		Long redirects = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			switch (name) {
				case "status" -> status = integer(parser);
				case "bytes" -> bytes = integer(parser);
				case "contentType" -> contentType = nullableText(parser);
				case "finalUrl" -> finalUrl = text(parser);
				case "sha256" -> sha256 = text(parser);
				case "timeToFirstByteMs" -> timeToFirstByteMs = number(parser);
				case "totalMs" -> totalMs = number(parser);
				case "redirects" -> redirects = integer(parser);
				default -> throw new NotOfOurForm();
			}
		}
		if (status == null || bytes == null || finalUrl == null || sha256 == null || timeToFirstByteMs == null
				|| totalMs == null || redirects == null) {
			throw new NotOfOurForm();
		}
		return new FetchResult(Math.toIntExact(status), bytes, contentType, finalUrl, sha256, timeToFirstByteMs,
				totalMs, Math.toIntExact(redirects));
	}

	private static WorkerInfo readWorker(JsonParser parser) {
		expect(parser.nextToken(), JsonToken.START_OBJECT);
		WorkerKind kind = null;
		String name = null;
		Long pid = null;
		String replica = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			parser.nextToken();
			switch (field) {
				case "kind" -> kind = Identified.fromId(WorkerKind.class, text(parser)).orElse(null);
				case "name" -> name = text(parser);
				case "pid" -> pid = integer(parser);
				case "replica" -> replica = nullableText(parser);
				default -> throw new NotOfOurForm();
			}
		}
		if (kind == null || name == null || pid == null) {
			throw new NotOfOurForm();
		}
		return new WorkerInfo(kind, name, pid, replica);
	}

	private static void expect(@Nullable JsonToken token, JsonToken expected) {
		if (token != expected) {
			throw new NotOfOurForm();
		}
	}

	private static String text(JsonParser parser) {
		expect(parser.currentToken(), JsonToken.VALUE_STRING);
		return parser.getString();
	}

	private static @Nullable String nullableText(JsonParser parser) {
		return (parser.currentToken() == JsonToken.VALUE_NULL) ? null : text(parser);
	}

	private static long integer(JsonParser parser) {
		expect(parser.currentToken(), JsonToken.VALUE_NUMBER_INT);
		return parser.getLongValue();
	}

	private static double number(JsonParser parser) {
		JsonToken token = parser.currentToken();
		if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
			throw new NotOfOurForm();
		}
		return parser.getDoubleValue();
	}

	/**
	 * JSON that this codec did not write in that form: it is bound to the record instead.
	 */
	private static final class NotOfOurForm extends RuntimeException {

		NotOfOurForm() {
			super(null, null, false, false);
		}

	}

	String inputs(List<Object> inputs) {
		return this.json.writeValueAsString(inputs);
	}

	List<Object> inputs(String stored) {
		return this.json.readValue(stored, INPUTS);
	}

	List<ReplicaView.ExecutorView> executors(String stored) {
		return this.json.readValue(stored, EXECUTORS);
	}

	String json(Object value) {
		return this.json.writeValueAsString(value);
	}

}
