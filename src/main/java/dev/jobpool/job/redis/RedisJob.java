package dev.jobpool.job.redis;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.task.FetchResult;
import dev.jobpool.job.CallbackStatus;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobEvent;
import dev.jobpool.job.JobNotFoundException;
import dev.jobpool.job.JobStatus;
import dev.jobpool.job.JobType;
import dev.jobpool.job.JobView;
import dev.jobpool.job.TaskStatus;
import dev.jobpool.support.Identified;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskResult;

/**
 * A job of the shared store, read from Redis each time it is asked: whichever replica
 * accepted it, every replica shows the same job.
 */
final class RedisJob implements Job {

	/**
	 * From how many tasks a view decodes them on every core: the answer to a finished job
	 * of 10,000 URLs waits for 10,000 outcomes and workers to be read from JSON (about 80
	 * ms on one core of a 2-core machine when they were bound to their records, about
	 * half that read token by token). Below this, splitting costs more than it saves.
	 */
	private static final int PARALLEL_VIEW_TASKS = 256;

	private final String id;

	private final RedisJobBackend backend;

	private final RedisStore store;

	private final RedisCodec codec;

	private final JobType type;

	private @Nullable List<Object> inputs;

	private @Nullable Map<String, String> snapshot;

	/** The job as the report that finished it read it, for the view after a wait. */
	private RedisStore.@Nullable WholeJob finalState;

	RedisJob(String id, JobType type, RedisJobBackend backend) {
		this(id, type, backend, null);
	}

	/** A job read already, as a listing reads many at once; its first view uses it. */
	RedisJob(String id, JobType type, RedisJobBackend backend, @Nullable Map<String, String> snapshot) {
		this.snapshot = snapshot;
		this.id = id;
		this.type = type;
		this.backend = backend;
		this.store = backend.store();
		this.codec = backend.codec();
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public JobType type() {
		return this.type;
	}

	@Override
	public JobStatus status() {
		String status = this.store.jobField(this.id, "status");
		if (status == null) {
			throw new JobNotFoundException(this.id);
		}
		return RedisJobBackend.status(status);
	}

	private Map<String, String> jobHash() {
		Map<String, String> read = this.snapshot;
		if (read != null) {
			this.snapshot = null;
			return read;
		}
		Map<String, String> job = this.store.job(this.id);
		if (job.isEmpty()) {
			throw new JobNotFoundException(this.id);
		}
		return job;
	}

	@Override
	public JobView view(boolean withTasks) {
		return view(readForView(withTasks), withTasks);
	}

	/** The job and its tasks as one read of the whole job found them. */
	JobView view(RedisStore.WholeJob whole) {
		return view(withInputs(whole), true);
	}

	/** Keep the inputs a read of the whole job brought, which never change. */
	private RedisStore.WholeJob withInputs(RedisStore.WholeJob whole) {
		if (this.inputs == null) {
			this.inputs = this.codec.inputs((whole.inputs() != null) ? whole.inputs() : "[]");
		}
		return whole;
	}

	private JobView view(RedisStore.WholeJob read, boolean withTasks) {
		Map<String, String> job = read.job();
		List<JobView.TaskView> tasks = null;
		Double busyMs = null;
		if (withTasks) {
			TaskFields fields = read.tasks();
			int count = integer(job, "tasks");
			// Read once here, not by each task in parallel.
			inputs();
			IntStream all = IntStream.range(0, count);
			tasks = ((count >= PARALLEL_VIEW_TASKS) ? all.parallel() : all)
				.mapToObj((task) -> taskView(job, task, fields))
				.toList();
			long now = System.currentTimeMillis();
			double busy = 0;
			for (JobView.TaskView view : tasks) {
				if (view.durationMs() != null) {
					busy += view.durationMs();
				}
				else if (view.status() == TaskStatus.RUNNING && view.startedAt() != null) {
					busy += Math.max(0, now - view.startedAt().toEpochMilli());
				}
			}
			busyMs = busy;
		}
		return view(job, tasks, busyMs);
	}

	/**
	 * The job, and its tasks if asked: in one round trip unless a listing read the job.
	 */
	private RedisStore.WholeJob readForView(boolean withTasks) {
		RedisStore.WholeJob known = this.finalState;
		if (known != null && withTasks) {
			this.finalState = null;
			return withInputs(known);
		}
		if (!withTasks || this.snapshot != null) {
			Map<String, String> job = jobHash();
			return new RedisStore.WholeJob(job, withTasks ? TaskFields.of(this.store.tasks(this.id)) : new TaskFields(),
					null);
		}
		RedisStore.WholeJob whole = this.store.wholeJob(this.id);
		if (whole.job().isEmpty()) {
			throw new JobNotFoundException(this.id);
		}
		return withInputs(whole);
	}

	private JobView view(Map<String, String> job, @Nullable List<JobView.TaskView> tasks, @Nullable Double busy) {
		JobStatus status = RedisJobBackend.status(job.get("status"));
		Instant submittedAt = Instant.ofEpochMilli(longValue(job, "submittedAt"));
		Instant startedAt = instant(job.get("startedAt"));
		Instant finishedAt = instant(job.get("finishedAt"));
		double wallMs = 0;
		if (startedAt != null) {
			long end = (finishedAt != null) ? finishedAt.toEpochMilli() : System.currentTimeMillis();
			wallMs = Math.max(0, end - startedAt.toEpochMilli());
		}
		double busyMs = (busy != null) ? busy : longValue(job, "busyMs");
		Double queueMs = (startedAt != null) ? (double) (startedAt.toEpochMilli() - submittedAt.toEpochMilli()) : null;
		JobView.Timing timing = new JobView.Timing(queueMs, wallMs, busyMs,
				(wallMs > 0) ? Math.round(busyMs / wallMs * 100) / 100.0 : null);
		JobView.Progress progress = new JobView.Progress(integer(job, "tasks"), integer(job, "ended"),
				integer(job, "failed"), integer(job, "cancelled"));
		String requestedConcurrency = job.get("reqConc");
		return new JobView(this.id, this.type, executor(job.get("executor")), String.valueOf(job.get("requested")),
				new JobView.RoutingView(String.valueOf(job.get("reason"))), integer(job, "conc"),
				(requestedConcurrency != null) ? Integer.valueOf(requestedConcurrency) : null,
				String.valueOf(job.get("concReason")), longValue(job, "timeoutMs"), status, job.get("cancelReason"),
				submittedAt, startedAt, finishedAt, progress, timing, tasks, result(job, status, progress),
				callback(job));
	}

	private static JobView.@Nullable CallbackView callback(Map<String, String> job) {
		String url = job.get("cbUrl");
		if (url == null) {
			return null;
		}
		CallbackStatus status = Identified.fromId(CallbackStatus.class, job.getOrDefault("cbStatus", "pending"))
			.orElse(CallbackStatus.PENDING);
		String code = job.get("cbCode");
		String error = job.get("cbError");
		return new JobView.CallbackView(url, status, integer(job, "cbAttempts"),
				(code != null) ? Integer.valueOf(code) : null,
				(error != null) ? new JobView.CallbackError(error, job.getOrDefault("cbErrorMessage", "")) : null,
				instant(job.get("cbDeliveredAt")));
	}

	private @Nullable Object result(Map<String, String> job, JobStatus status, JobView.Progress progress) {
		if (this.type == JobType.SUM) {
			return (status == JobStatus.SUCCEEDED)
					? new JobView.SumResult(new BigInteger(job.getOrDefault("total", "0"))) : null;
		}
		Map<String, Integer> statusCounts = new TreeMap<>();
		job.forEach((field, value) -> {
			if (field.startsWith("sc:")) {
				statusCounts.put(field.substring(3), Integer.valueOf(value));
			}
		});
		return new JobView.FetchSummary(integer(job, "ok"), progress.failed() + progress.cancelled(),
				longValue(job, "bytes"), statusCounts);
	}

	private static final String[] TASK_FIELDS = { "s", "w", "e", "f", "c", "d", "a", "m" };

	private JobView.TaskView taskView(Map<String, String> job, int task, TaskFields fields) {
		int[] units = units(task, fields.get('m', task));
		int ended = integer(fields.get('e', task));
		String started = fields.get('s', task);
		String code = fields.get('c', task);
		TaskStatus status;
		if (ended >= units.length) {
			status = (code == null) ? TaskStatus.SUCCEEDED
					: "cancelled".equals(code) ? TaskStatus.CANCELLED : TaskStatus.FAILED;
		}
		else {
			status = (started != null) ? TaskStatus.RUNNING : TaskStatus.QUEUED;
		}
		Object result = null;
		JobView.TaskError error = null;
		Double cpuMs = null;
		Double durationMs = null;
		if (status == TaskStatus.SUCCEEDED) {
			BigInteger sum = null;
			double cpu = 0;
			boolean cpuKnown = true;
			for (int unit : units) {
				String stored = fields.get('u', unit);
				if (stored == null) {
					continue;
				}
				RedisCodec.StoredOutcome outcome = this.codec.outcome(stored);
				TaskResult unitResult = outcome.result();
				if (unitResult instanceof TaskResult.Sum(BigInteger part)) {
					sum = (sum != null) ? sum.add(part) : part;
				}
				else if (unitResult instanceof FetchResult) {
					result = unitResult;
				}
				if (outcome.cpu() != null) {
					cpu += outcome.cpu();
				}
				else {
					cpuKnown = false;
				}
				if (units.length == 1) {
					durationMs = outcome.ms();
				}
			}
			if (sum != null) {
				result = new TaskResult.Sum(sum);
			}
			cpuMs = cpuKnown ? cpu : null;
		}
		else if (status == TaskStatus.FAILED || status == TaskStatus.CANCELLED) {
			String failure = fields.get('f', task);
			if (failure != null) {
				RedisCodec.StoredOutcome outcome = this.codec.outcome(failure);
				TaskErrorCode errorCode = outcome.errorCode();
				error = new JobView.TaskError((errorCode != null) ? errorCode : TaskErrorCode.INTERNAL,
						String.valueOf(outcome.message()));
			}
		}
		String endedAt = fields.get('d', task);
		if (durationMs == null && started != null && endedAt != null) {
			durationMs = (double) (Long.parseLong(endedAt) - Long.parseLong(started));
		}
		String worker = fields.get('w', task);
		WorkerInfo workerInfo = (worker != null) ? this.codec.worker(worker) : null;
		int attempts = 1 + integer(fields.get('a', task));
		Instant startedAt = instant(started);
		Double queueMs = (startedAt != null) ? (double) (startedAt.toEpochMilli() - longValue(job, "submittedAt"))
				: null;
		return new JobView.TaskView(task, inputs().get(task), status, result, error, workerInfo,
				(attempts > 1) ? attempts : null, (units.length > 1) ? units.length : null, startedAt, queueMs,
				durationMs, cpuMs);
	}

	private static int[] units(int task, @Nullable String map) {
		if (map == null) {
			return new int[] { task };
		}
		String[] units = map.split(",");
		int[] numbers = new int[units.length];
		for (int i = 0; i < units.length; i++) {
			numbers[i] = Integer.parseInt(units[i]);
		}
		return numbers;
	}

	private List<Object> inputs() {
		List<Object> known = this.inputs;
		if (known == null) {
			String stored = this.store.inputs(this.id);
			known = this.codec.inputs((stored != null) ? stored : "[]");
			this.inputs = known;
		}
		return known;
	}

	@Override
	public List<JobEvent> eventsFrom(int cursor, int max) {
		List<String> entries = this.store.events(this.id, cursor, cursor + max - 1L);
		if (entries.isEmpty()) {
			return List.of();
		}
		Map<String, String> job = jobHash();
		List<Integer> tasks = new ArrayList<>();
		for (String entry : entries) {
			if (!"end".equals(entry)) {
				tasks.add(Integer.valueOf(entry.substring(0, entry.indexOf('|'))));
			}
		}
		TaskFields fields = taskFields(tasks);
		List<JobEvent> events = new ArrayList<>(entries.size());
		for (String entry : entries) {
			if ("end".equals(entry)) {
				events.add(new JobEvent.Finished(view(true)));
				continue;
			}
			String[] parts = entry.split("\\|");
			int task = Integer.parseInt(parts[0]);
			events.add(new JobEvent.TaskEnded(taskView(job, task, fields), new JobView.Progress(integer(job, "tasks"),
					Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]))));
		}
		return events;
	}

	/** Fetch just the fields of these tasks, in two round trips at most. */
	private TaskFields taskFields(List<Integer> tasks) {
		TaskFields fields = new TaskFields();
		if (tasks.isEmpty()) {
			return fields;
		}
		Set<String> names = new LinkedHashSet<>();
		for (int task : tasks) {
			for (String field : TASK_FIELDS) {
				names.add(field + ":" + task);
			}
			names.add("u:" + task);
		}
		fetchInto(fields, names);
		Set<String> units = new LinkedHashSet<>();
		for (int task : tasks) {
			String map = fields.get('m', task);
			if (map != null) {
				for (String unit : map.split(",")) {
					units.add("u:" + unit);
				}
			}
		}
		if (!units.isEmpty()) {
			fetchInto(fields, units);
		}
		return fields;
	}

	private void fetchInto(TaskFields fields, Set<String> names) {
		List<String> ordered = List.copyOf(names);
		List<@Nullable String> values = this.store.taskFields(this.id, ordered);
		for (int i = 0; i < ordered.size(); i++) {
			String value = values.get(i);
			if (value != null) {
				fields.put(ordered.get(i), value);
			}
		}
	}

	@Override
	public void watch(Runnable onChange) {
		this.backend.watchers().watch(this.id, onChange);
	}

	@Override
	public void unwatch(Runnable onChange) {
		this.backend.watchers().unwatch(this.id, onChange);
	}

	@Override
	public CompletableFuture<Job> completion() {
		CompletableFuture<Job> completion = new CompletableFuture<>();
		Watchers watchers = this.backend.watchers();
		AtomicInteger asked = new AtomicInteger();
		Runnable check = new Runnable() {
			@Override
			public void run() {
				// Poked from the driver's I/O threads too, which must not wait for Redis:
				// one look at a time, on a thread of its own, and one more if poked
				// meanwhile.
				if (!completion.isDone() && asked.getAndIncrement() == 0) {
					Thread.ofVirtual().start(() -> {
						int seen;
						do {
							seen = asked.get();
							look(this);
						}
						while (!asked.compareAndSet(seen, 0));
					});
				}
			}

			private void look(Runnable self) {
				if (completion.isDone()) {
					return;
				}
				try {
					if (status().isFinished()) {
						watchers.unwatchEnd(RedisJob.this.id, self);
						completion.complete(RedisJob.this);
					}
				}
				catch (JobNotFoundException ex) {
					watchers.unwatchEnd(RedisJob.this.id, self);
					completion.completeExceptionally(ex);
				}
				catch (StoreUnavailableException ex) {
					// Redis is away: the next wake-up or poll looks again.
				}
			}
		};
		watchers.watchEnd(this.id, check);
		watchers.poke(check);
		return completion;
	}

	@Override
	public boolean await(Duration wait) {
		Semaphore changed = new Semaphore(0);
		Runnable onChange = changed::release;
		long deadline = System.nanoTime() + wait.toNanos();
		Watchers watchers = this.backend.watchers();
		watchers.awaitStarted(this.id);
		watchers.watchEnd(this.id, onChange);
		try {
			while (true) {
				if (watchers.finishedHere(this.id)) {
					this.finalState = watchers.takeFinal(this.id);
					return true;
				}
				if (status().isFinished()) {
					return true;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				// Woken by a task's end, or at the latest by the watchers' poll.
				changed.tryAcquire(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
				changed.drainPermits();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			watchers.unwatchEnd(this.id, onChange);
			watchers.awaitEnded(this.id);
		}
	}

	@Override
	public boolean cancel(String reason) {
		return this.backend.cancel(this.id, reason);
	}

	private static @Nullable Instant instant(@Nullable String millis) {
		return (millis != null) ? Instant.ofEpochMilli(Long.parseLong(millis)) : null;
	}

	private static int integer(Map<String, String> hash, String field) {
		return integer(hash.get(field));
	}

	private static int integer(@Nullable String value) {
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	private static long longValue(Map<String, String> hash, String field) {
		String value = hash.get(field);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	private static ExecutorKind executor(@Nullable String id) {
		return Identified.fromId(ExecutorKind.class, String.valueOf(id))
			.orElseThrow(() -> new IllegalStateException("Unknown executor " + id));
	}

}
