package dev.jobpool.job.redis;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.jobpool.cluster.ReplicaView;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.task.FetchResult;
import dev.jobpool.job.JobType;
import dev.jobpool.job.WorkUnit;
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

	StoredOutcome outcome(String stored) {
		return this.json.readValue(stored, StoredOutcome.class);
	}

	String worker(WorkerInfo worker) {
		return this.json.writeValueAsString(worker);
	}

	WorkerInfo worker(String stored) {
		return this.json.readValue(stored, WorkerInfo.class);
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
