package dev.jobpool.job.redis;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.CallbackOutbox;
import dev.jobpool.job.CallbackStatus;
import dev.jobpool.job.IdempotencyKeyReusedException;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobBackend;
import dev.jobpool.job.JobMetrics;
import dev.jobpool.job.JobNotFoundException;
import dev.jobpool.job.JobPlan;
import dev.jobpool.job.JobPlanner;
import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobStatus;
import dev.jobpool.job.JobType;
import dev.jobpool.job.JobView;
import dev.jobpool.job.QueueFullException;
import dev.jobpool.job.WorkUnit;
import dev.jobpool.support.Identified;
import dev.jobpool.task.TaskErrorCode;

/**
 * The shared store: any replica accepts, finds, lists and cancels any job; the
 * {@link ReplicaAgent} of each replica claims and runs their tasks.
 */
final class RedisJobBackend implements JobBackend {

	private static final Logger logger = LoggerFactory.getLogger(RedisJobBackend.class);

	private static final int LIST_PAGE = 200;

	/** The arguments of an admission before the job's fields (see admit.lua). */
	private static final int ADMIT_LEADING_ARGUMENTS = 14;

	private final RedisStore store;

	private final RedisCodec codec;

	private final Watchers watchers;

	private final JobPlanner planner;

	private final JobProperties properties;

	private final JobMetrics metrics;

	private final ReplicaAgent agent;

	private final String replicaId;

	private final RedisCallbackOutbox callbacks;

	RedisJobBackend(RedisStore store, RedisCodec codec, Watchers watchers, JobPlanner planner, JobProperties properties,
			JobMetrics metrics, ReplicaAgent agent, String replicaId) {
		this.store = store;
		this.codec = codec;
		this.watchers = watchers;
		this.planner = planner;
		this.properties = properties;
		this.metrics = metrics;
		this.agent = agent;
		this.replicaId = replicaId;
		this.callbacks = new RedisCallbackOutbox(this);
	}

	RedisStore store() {
		return this.store;
	}

	RedisCodec codec() {
		return this.codec;
	}

	Watchers watchers() {
		return this.watchers;
	}

	@Override
	public Job submit(JobSpec spec, @Nullable String idempotencyKey) {
		JobPlan plan = this.planner.plan(spec, this.agent.liveReplicas());
		// Only a key compares requests.
		String fingerprint = (idempotencyKey != null) ? fingerprint(spec) : "";
		for (int attempt = 0;; attempt++) {
			String id = UUID.randomUUID().toString();
			ExecutorKind executor = plan.routing().executor();
			// The accepting replica claims in the same step what it can start now.
			int reserved = this.agent.reserve(executor);
			List<String> args = admitArguments(id, spec, plan, idempotencyKey, fingerprint, reserved);
			ReplicaAgent.Speculation ahead = speculate(id, spec, plan, idempotencyKey, reserved, args);
			List<Object> answer;
			try {
				// The units it claimed start as the answer comes, on the driver's thread.
				answer = this.store.admit(args, (admitted) -> {
					if ("created".equals(String.valueOf(admitted.get(0)))) {
						startClaimed(executor, admitted, reserved, ahead);
					}
				});
			}
			catch (RuntimeException ex) {
				this.agent.refused(ahead);
				this.agent.claimed(executor, List.of(), reserved);
				throw ex;
			}
			String outcome = String.valueOf(answer.get(0));
			if (!"created".equals(outcome)) {
				this.agent.refused(ahead);
				this.agent.claimed(executor, List.of(), reserved);
			}
			switch (outcome) {
				case "created" -> {
					this.metrics.jobSubmitted(spec.type(), executor);
					return new RedisJob(id, spec.type(), this);
				}
				case "full" ->
					throw new QueueFullException(plan.units().size(), Integer.parseInt(String.valueOf(answer.get(1))),
							this.properties.maxQueuedTasks(), this.properties.retryAfter());
				case "existing" -> {
					String entry = String.valueOf(answer.get(1));
					int bar = entry.indexOf('|');
					String existingId = entry.substring(0, bar);
					if (!entry.substring(bar + 1).equals(fingerprint)) {
						throw new IdempotencyKeyReusedException(String.valueOf(idempotencyKey), existingId);
					}
					Optional<Job> existing = find(existingId);
					if (existing.isPresent() || attempt > 0) {
						return existing.orElseThrow(() -> new JobNotFoundException(existingId));
					}
					// The job the key names was evicted: the key starts afresh.
					this.store.forgetIdempotencyKey(String.valueOf(idempotencyKey));
				}
				default -> throw new IllegalStateException("Unexpected answer from admit: " + answer);
			}
		}
	}

	/**
	 * Start a sum job's first units before the admission is answered, in the slots
	 * reserved for it: they are what its claim gives this replica when the job is alone
	 * in line. Only sums, which touch nothing outside: a fetch of a job the admission
	 * refuses (429) or gives to others would already have reached its hosts. Not with an
	 * Idempotency-Key, whose request often names a job that exists.
	 */
	private ReplicaAgent.@Nullable Speculation speculate(String id, JobSpec spec, JobPlan plan,
			@Nullable String idempotencyKey, int reserved, List<String> args) {
		int units = Math.min(Math.min(reserved, plan.units().size()), plan.concurrency().effective());
		if (!(spec instanceof JobSpec.Sum) || idempotencyKey != null || units <= 0) {
			return null;
		}
		// The units' JSON follows the 14 leading arguments and the job's field pairs.
		int first = ADMIT_LEADING_ARGUMENTS + 2 * Integer.parseInt(args.get(9));
		return this.agent.speculate(plan.routing().executor(), id, args.subList(first, first + plan.units().size()),
				units, spec.options().timeout().toMillis());
	}

	private void startClaimed(ExecutorKind executor, List<Object> admitted, int reserved,
			ReplicaAgent.@Nullable Speculation ahead) {
		try {
			this.agent.admitted(executor, claimedUnits(admitted), reserved, ahead);
		}
		catch (RuntimeException ex) {
			// Claimed but not started: they go back into play as this replica's orphans.
			logger.warn("Could not start the units a job's admission claimed", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Object> claimedUnits(List<Object> answer) {
		return (answer.size() > 2 && answer.get(2) instanceof List<?> units) ? (List<Object>) units : List.of();
	}

	private List<String> admitArguments(String id, JobSpec spec, JobPlan plan, @Nullable String idempotencyKey,
			String fingerprint, int claim) {
		List<WorkUnit> units = plan.units();
		int tasks = spec.inputs().size();
		int[] unitsPerTask = new int[tasks];
		List<List<Integer>> unitsOfTask = new ArrayList<>(tasks);
		for (int task = 0; task < tasks; task++) {
			unitsOfTask.add(new ArrayList<>(1));
		}
		for (int unit = 0; unit < units.size(); unit++) {
			int task = units.get(unit).task();
			unitsPerTask[task]++;
			unitsOfTask.get(task).add(unit);
		}
		List<String> jobFields = new ArrayList<>();
		add(jobFields, "type", spec.type().id());
		add(jobFields, "requested", plan.routing().requested());
		add(jobFields, "reason", plan.routing().reason());
		add(jobFields, "conc", Integer.toString(plan.concurrency().effective()));
		Integer requested = plan.concurrency().requested();
		if (requested != null) {
			add(jobFields, "reqConc", requested.toString());
		}
		add(jobFields, "concReason", plan.concurrency().reason());
		add(jobFields, "timeoutMs", Long.toString(spec.options().timeout().toMillis()));
		add(jobFields, "replica", this.replicaId);
		URI callback = spec.options().callback();
		if (callback != null) {
			add(jobFields, "cbUrl", callback.toString());
			add(jobFields, "cbStatus", CallbackStatus.PENDING.id());
		}
		List<String> taskFields = new ArrayList<>();
		for (int task = 0; task < tasks; task++) {
			List<Integer> own = unitsOfTask.get(task);
			if (own.size() != 1 || own.get(0) != task) {
				add(taskFields, "m:" + task, String.join(",", own.stream().map(String::valueOf).toList()));
			}
		}
		List<String> args = new ArrayList<>(16 + jobFields.size() + units.size() + taskFields.size());
		args.add(id);
		args.add((idempotencyKey != null) ? idempotencyKey : "");
		args.add(fingerprint);
		args.add(Integer.toString(this.properties.maxQueuedTasks()));
		args.add(plan.routing().executor().id());
		args.add(Long.toString(this.properties.store().maxAge().toMillis()));
		args.add(Integer.toString(this.properties.store().maxJobs()));
		args.add(Integer.toString(units.size()));
		args.add(Integer.toString(tasks));
		args.add(Integer.toString(jobFields.size() / 2));
		args.add(Integer.toString(taskFields.size() / 2));
		args.add(this.codec.inputs(spec.inputs()));
		args.add(this.replicaId);
		args.add(Integer.toString(claim));
		args.addAll(jobFields);
		for (WorkUnit unit : units) {
			args.add(this.codec.unit(unit, unitsPerTask[unit.task()]));
		}
		args.addAll(taskFields);
		return args;
	}

	private static void add(List<String> fields, String name, String value) {
		fields.add(name);
		fields.add(value);
	}

	/** The same request gives the same fingerprint on every replica and JVM. */
	private String fingerprint(JobSpec spec) {
		String canonical = spec.type().id() + "\n" + this.codec.inputs(spec.inputs()) + "\n" + spec.options().executor()
				+ "\n" + spec.options().concurrency() + "\n" + spec.options().timeout().toMillis();
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public Optional<Job> find(String id) {
		String type = this.store.jobField(id, "type");
		return (type != null) ? Optional.of(job(id, type)) : Optional.empty();
	}

	/** A job whose type is known already, read from Redis as it is asked. */
	RedisJob job(String id, String type) {
		return new RedisJob(id, type(type), this);
	}

	@Override
	public Optional<JobView> view(String id) {
		RedisStore.WholeJob whole = this.store.wholeJob(id);
		String type = whole.job().get("type");
		return (type != null) ? Optional.of(job(id, type).view(whole)) : Optional.empty();
	}

	@Override
	public List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		List<Job> found = new ArrayList<>();
		long offset = 0;
		while (found.size() < limit) {
			List<String> ids = this.store.newestJobIds(offset, LIST_PAGE);
			if (ids.isEmpty()) {
				break;
			}
			offset += ids.size();
			List<Map<String, String>> hashes = this.store.jobs(ids);
			for (int i = 0; i < ids.size() && found.size() < limit; i++) {
				Map<String, String> job = hashes.get(i);
				if (job.isEmpty()) {
					// Expired with its retention: the index forgets it too.
					this.store.forget(ids.get(i));
					offset--;
					continue;
				}
				JobType jobType = type(job.get("type"));
				if ((status == null || status(job.get("status")) == status) && (type == null || jobType == type)) {
					found.add(new RedisJob(ids.get(i), jobType, this, job));
				}
			}
		}
		return found;
	}

	@Override
	public CallbackOutbox callbacks() {
		return this.callbacks;
	}

	@Override
	public int queuedTasks() {
		String total = this.store.queued().get("total");
		return (total != null) ? Integer.parseInt(total) : 0;
	}

	boolean cancel(String id, String reason) {
		String cancelled = this.codec
			.outcome(RedisCodec.StoredOutcome.failed(TaskErrorCode.CANCELLED, "task was cancelled"));
		String answer = this.store.cancel(id, reason, cancelled, this.properties.store().maxAge());
		return switch (String.valueOf(answer)) {
			case "missing" -> throw new JobNotFoundException(id);
			case "finished" -> false;
			default -> true;
		};
	}

	@Override
	public void drain(Duration grace) {
		this.agent.drain(grace);
	}

	@Override
	public void abandon() {
		this.agent.drain(Duration.ZERO);
	}

	static JobStatus status(@Nullable String id) {
		return Identified.fromId(JobStatus.class, String.valueOf(id))
			.orElseThrow(() -> new IllegalStateException("Unknown job status " + id));
	}

	static JobType type(@Nullable String id) {
		return Identified.fromId(JobType.class, String.valueOf(id))
			.orElseThrow(() -> new IllegalStateException("Unknown job type " + id));
	}

}
