package dev.jobpool.job.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobpool.cluster.ClusterMembers;
import dev.jobpool.cluster.ClusterMetrics;
import dev.jobpool.cluster.ClusterProperties;
import dev.jobpool.cluster.ExecutorViews;
import dev.jobpool.cluster.ReplicaView;
import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskListener;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.execution.WorkerInfo;
import dev.jobpool.job.DeadlineTimer;
import dev.jobpool.job.JobMetrics;
import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobType;
import dev.jobpool.job.TaskStatus;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskOutcome;

/**
 * This replica's part in the cluster: a heartbeat with a TTL, a reaper that puts the
 * claimed work of dead replicas back into play, and per executor a claimer that takes
 * only as many units as the executor can start now, runs them and reports how they ended.
 */
final class ReplicaAgent implements ClusterMembers {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaAgent.class);

	private static final Duration IDLE_POLL = Duration.ofMillis(500);

	private static final Duration STORE_BACKOFF = Duration.ofSeconds(1);

	/** A claimed unit's attempt: its job was alone in line, with units left. */
	private static final String ALONE = "alone";

	/** A claimed unit's attempt: it ran before, on a replica that died or stopped. */
	private static final String RETRY = "retry";

	private final RedisStore store;

	private final RedisCodec codec;

	private final Watchers watchers;

	private final WakeUps wakeUps;

	private final ExecutorRegistry executors;

	private final DeadlineTimer deadlines;

	private final JobMetrics jobMetrics;

	private final ClusterMetrics clusterMetrics;

	private final ClusterProperties cluster;

	private final JobProperties jobs;

	private final String replicaId;

	private final Map<ExecutorKind, Claimer> claimers = new EnumMap<>(ExecutorKind.class);

	private final Map<String, Set<RunningUnit>> running = new ConcurrentHashMap<>();

	private final UnitReporter reporter;

	private final AcceptedUnits accepted = new AcceptedUnits();

	/**
	 * Held while an end starts its job's next unit ahead and is queued for the report, so
	 * that the reports carry those units in the order they were taken.
	 */
	private final ReentrantLock continuing = new ReentrantLock();

	/**
	 * Units ({@code job|unit}) that ended here and whose end has not reached the store
	 * yet.
	 */
	private final Set<String> unreported = ConcurrentHashMap.newKeySet();

	/** Units the store says this replica holds that it did not run at the last look. */
	private volatile Set<String> orphanCandidates = Set.of();

	private final AtomicBoolean started = new AtomicBoolean();

	private volatile boolean claiming;

	private volatile boolean beating;

	private volatile int liveReplicas = 1;

	private volatile Map<ExecutorKind, Integer> queued = Map.of();

	private volatile List<Thread> threads = List.of();

	ReplicaAgent(RedisStore store, RedisCodec codec, Watchers watchers, WakeUps wakeUps, ExecutorRegistry executors,
			DeadlineTimer deadlines, JobMetrics jobMetrics, ClusterMetrics clusterMetrics, ClusterProperties cluster,
			JobProperties jobs, String replicaId) {
		this.store = store;
		this.codec = codec;
		this.watchers = watchers;
		this.wakeUps = wakeUps;
		this.executors = executors;
		this.deadlines = deadlines;
		this.jobMetrics = jobMetrics;
		this.clusterMetrics = clusterMetrics;
		this.cluster = cluster;
		this.jobs = jobs;
		this.replicaId = replicaId;
		this.reporter = new UnitReporter(store, jobs.store().maxAge(), replicaId, new Hooks());
		for (TaskExecutor executor : executors.all()) {
			this.claimers.put(executor.kind(), new Claimer(executor));
		}
	}

	/**
	 * Join the cluster: take back what this id held before a crash, then beat and claim.
	 */
	void start() {
		if (!this.started.compareAndSet(false, true)) {
			return;
		}
		this.claiming = true;
		this.beating = true;
		this.reporter.start();
		List<Thread> all = new ArrayList<>();
		all.add(Thread.ofVirtual().name("jobpool-heartbeat").start(this::beat));
		this.claimers.values()
			.forEach((claimer) -> all
				.add(Thread.ofVirtual().name("jobpool-claim-" + claimer.executor.kind().id()).start(claimer::run)));
		this.threads = List.copyOf(all);
	}

	// ---------------------------------------------------------------- heartbeat, reaper

	private void beat() {
		boolean rejoined = false;
		long nextReap = 0;
		while (this.beating) {
			try {
				this.wakeUps.ensureSubscribed(this);
				if (!rejoined) {
					List<Object> taken = this.store.reclaim(this.replicaId, "restart", this.cluster.maxRedeliveries(),
							lostOutcome(), this.jobs.store().maxAge());
					countReclaimed(taken);
					rejoined = true;
				}
				this.store.heartbeat(this.replicaId, this.codec.json(ExecutorViews.of(this.executors)),
						this.cluster.heartbeatTtl());
				abortCancelledMissedByPubSub();
				if (System.nanoTime() - nextReap >= 0) {
					reap();
					handBackOrphans();
					nextReap = System.nanoTime() + this.cluster.reaperInterval().toNanos();
				}
				refreshQueued();
			}
			catch (StoreUnavailableException ex) {
				logger.debug("Heartbeat failed: {}", ex.getMessage());
			}
			catch (RuntimeException ex) {
				logger.warn("Heartbeat failed", ex);
			}
			this.watchers.wakeAll();
			sleep(this.cluster.heartbeatInterval());
		}
	}

	/** A cancel published while this replica was disconnected still reaches its units. */
	private void abortCancelledMissedByPubSub() {
		for (String jobId : List.copyOf(this.running.keySet())) {
			if ("1".equals(this.store.jobField(jobId, "cancel"))) {
				cancelled(jobId);
			}
		}
	}

	private void reap() {
		int live = 0;
		for (RedisStore.Member member : this.store.members()) {
			String id = member.id();
			if (member.description() != null) {
				live++;
			}
			else if (!id.equals(this.replicaId)) {
				List<Object> taken = this.store.reclaim(id, "dead", this.cluster.maxRedeliveries(), lostOutcome(),
						this.jobs.store().maxAge());
				if (countReclaimed(taken) > 0) {
					logger.info("Replica {} is gone: its claimed tasks run again elsewhere ({})", id, taken);
				}
			}
		}
		this.liveReplicas = Math.max(1, live);
	}

	/**
	 * A claim's answer can be lost after Redis ran it (a dropped connection, a timeout):
	 * the units would then stay claimed by this live replica for ever. Units the store
	 * says this replica holds, that it neither runs nor has ended, at two looks a reaper
	 * interval apart, go back into play, first in line.
	 */
	private void handBackOrphans() {
		if (!this.claiming) {
			return;
		}
		Set<String> held = this.store.claimsOf(this.replicaId);
		Set<String> runsHere = new HashSet<>();
		this.running.forEach((jobId, units) -> units.forEach((unit) -> runsHere.add(jobId + "|" + unit.unit)));
		Set<String> orphans = new HashSet<>();
		List<String> confirmed = new ArrayList<>();
		for (String member : held) {
			if (!runsHere.contains(member) && !this.unreported.contains(member)) {
				(this.orphanCandidates.contains(member) ? confirmed : orphans).add(member);
			}
		}
		this.orphanCandidates = orphans;
		if (!confirmed.isEmpty()) {
			List<Object> handed = this.store.handBackOrphans(this.replicaId, confirmed, this.jobs.store().maxAge());
			logger.warn("Gave back {} claimed tasks whose claim never reached this replica ({})", confirmed.size(),
					handed);
		}
	}

	private int countReclaimed(List<Object> taken) {
		if (taken.size() < 3) {
			return 0;
		}
		int requeued = ((Number) taken.get(1)).intValue();
		int failed = ((Number) taken.get(2)).intValue();
		this.clusterMetrics.reclaimed(requeued + failed, requeued);
		return requeued + failed;
	}

	private void refreshQueued() {
		Map<ExecutorKind, Integer> counts = new EnumMap<>(ExecutorKind.class);
		this.store.queued()
			.forEach((field, value) -> ExecutorKind.fromId(field)
				.ifPresent((kind) -> counts.put(kind, Math.max(0, Integer.parseInt(value)))));
		this.queued = counts;
	}

	private String lostOutcome() {
		return this.codec.outcome(RedisCodec.StoredOutcome.failed(TaskErrorCode.WORKER_LOST,
				"the task's replica died " + (this.cluster.maxRedeliveries() + 1) + " times while running it"));
	}

	// ---------------------------------------------------------------- pub/sub

	/** Work arrived for an executor (from this replica or the store's channel). */
	void workArrived(ExecutorKind executor) {
		Claimer claimer = this.claimers.get(executor);
		if (claimer != null) {
			claimer.workSignals.incrementAndGet();
			claimer.wake.release();
		}
	}

	/**
	 * Reserve the slots of an executor that this replica could start units in now, for a
	 * claim made in another step (admit, report).
	 * @param executor the executor
	 * @return the slots reserved; give them back with {@link #claimed}
	 */
	int reserve(ExecutorKind executor) {
		Claimer claimer = this.claimers.get(executor);
		return (claimer != null) ? claimer.reserve() : 0;
	}

	/**
	 * Start the units a step claimed for this replica, and give back the reserved slots
	 * they did not fill.
	 * @param executor the executor they were claimed for
	 * @param units the units, 6 values each as the claim script returns them
	 * @param reserved the slots {@link #reserve} gave
	 */
	void claimed(ExecutorKind executor, List<Object> units, int reserved) {
		Claimer claimer = this.claimers.get(executor);
		if (claimer != null) {
			claimer.claimed(units, reserved);
		}
	}

	/**
	 * Start a new job's first units in slots reserved for its admission, before the
	 * admission is answered: they are the units its claim gives this replica when the job
	 * is alone in line (its first ones, as many as the slots and its concurrency allow).
	 * What they tell the store waits for {@link #admitted}, which confirms them or,
	 * should the claim have gone otherwise, stops them and starts what it gave.
	 * @param executor the executor the slots were reserved in
	 * @param jobId the job about to be admitted
	 * @param units the JSON of all its units, unit 0 first
	 * @param count how many of its first units to start, no more than reserved
	 * @param timeoutMs the job's task timeout
	 * @return the units started, or {@code null} if there are none
	 */
	@Nullable Speculation speculate(ExecutorKind executor, String jobId, List<String> units, int count, long timeoutMs) {
		Claimer claimer = this.claimers.get(executor);
		if (claimer == null || count <= 0) {
			return null;
		}
		AdmissionGate gate = new AdmissionGate();
		List<RunningUnit> started = new ArrayList<>(count);
		for (int unit = 0; unit < count; unit++) {
			started.add(claimer.start(jobId, Integer.toString(unit), units.get(unit), timeoutMs, false, gate));
		}
		return new Speculation(jobId, started, gate, units, timeoutMs);
	}

	/**
	 * A job was admitted: confirm the units started for it if its claim gave this replica
	 * exactly those, else stop them and start what it gave; then give back the reserved
	 * slots not used.
	 * @param executor the executor the slots were reserved in
	 * @param units the units the admission claimed, 6 values each
	 * @param reserved the slots {@link #reserve} gave
	 * @param speculation the units started ahead, if any
	 */
	void admitted(ExecutorKind executor, List<Object> units, int reserved, @Nullable Speculation speculation) {
		if (speculation != null && speculation.claimedBy(units)) {
			int count = speculation.units.size();
			// Kept before the units go on: one that ended already starts the next.
			this.accepted.admitted(speculation.jobId, speculation.all, count,
					ALONE.equals(String.valueOf(units.get(units.size() - 2))), speculation.timeoutMs);
			speculation.gate.admit();
			this.clusterMetrics.startedAhead(count, true);
			claimed(executor, List.of(), reserved - count);
		}
		else {
			refused(speculation);
			claimed(executor, units, reserved);
		}
	}

	/**
	 * The units started ahead of an admission are not this replica's (the job was not
	 * created, or its claim went otherwise): they stop, and tell the store nothing. Their
	 * slots go back with the reservation's.
	 * @param speculation the units started ahead, if any
	 */
	void refused(@Nullable Speculation speculation) {
		if (speculation != null && speculation.gate.refuse()) {
			this.clusterMetrics.startedAhead(speculation.units.size(), false);
			speculation.units.forEach((unit) -> unit.control.abort(TaskControl.AbortReason.CANCELLED));
		}
	}

	/** A new job's first units, started before its admission was answered. */
	static final class Speculation {

		private final String jobId;

		private final List<RunningUnit> units;

		private final AdmissionGate gate;

		private final List<String> all;

		private final long timeoutMs;

		private Speculation(String jobId, List<RunningUnit> units, AdmissionGate gate, List<String> all,
				long timeoutMs) {
			this.jobId = jobId;
			this.units = units;
			this.gate = gate;
			this.all = all;
			this.timeoutMs = timeoutMs;
		}

		/** Whether the claim's units (6 values each) are exactly these, in order. */
		boolean claimedBy(List<Object> claimed) {
			if (claimed.size() != this.units.size() * 6) {
				return false;
			}
			for (int i = 0; i < this.units.size(); i++) {
				if (!this.jobId.equals(String.valueOf(claimed.get(i * 6)))
						|| !this.units.get(i).unit.equals(String.valueOf(claimed.get(i * 6 + 1)))
						|| RETRY.equals(String.valueOf(claimed.get(i * 6 + 4)))) {
					return false;
				}
			}
			return true;
		}

	}

	/** A job's next unit, started in the slot an end of its job freed here. */
	private record StartedAhead(RunningUnit unit, AdmissionGate gate) {

		/** Where this unit is among claimed ones (6 values each), or -1. */
		int positionIn(List<Object> claimed) {
			for (int i = 0; i + 6 <= claimed.size(); i += 6) {
				if (this.unit.jobId.equals(String.valueOf(claimed.get(i)))
						&& this.unit.unit.equals(String.valueOf(claimed.get(i + 1)))
						&& !RETRY.equals(String.valueOf(claimed.get(i + 4)))) {
					return i;
				}
			}
			return -1;
		}

	}

	/**
	 * A report of ends claimed: the units started ahead in the slots those ends freed go
	 * on if it claimed them, else stop; the rest of what it claimed starts.
	 */
	private void claimedAfterEnds(ExecutorKind executor, List<Object> units, int reserved, List<Object> ahead) {
		List<Object> rest = units;
		int confirmed = 0;
		if (!ahead.isEmpty()) {
			rest = new ArrayList<>(units);
			for (Object each : ahead) {
				StartedAhead started = (StartedAhead) each;
				int at = started.positionIn(rest);
				if (at >= 0) {
					this.accepted.claimed(started.unit.jobId, ALONE.equals(String.valueOf(rest.get(at + 4))));
				}
				// Were it decided already, the unit would start as any other claimed one.
				if (at >= 0 && started.gate.admit()) {
					rest.subList(at, at + 6).clear();
					confirmed++;
				}
				else {
					this.accepted.forget(started.unit.jobId);
					if (started.gate.refuse()) {
						started.unit.control.abort(TaskControl.AbortReason.CANCELLED);
					}
				}
			}
			this.clusterMetrics.startedAhead(confirmed, true);
			this.clusterMetrics.startedAhead(ahead.size() - confirmed, false);
		}
		claimed(executor, rest, reserved + ahead.size() - confirmed);
	}

	/**
	 * The claims a report of ends makes for the slots those ends freed, and the watchers
	 * here it tells of the jobs it finished.
	 */
	private final class Hooks implements UnitReporter.ReportHooks {

		@Override
		public Map<String, Integer> reserve(Set<String> executors) {
			Map<String, Integer> reserved = new HashMap<>();
			for (String id : executors) {
				ExecutorKind.fromId(id).ifPresent((kind) -> {
					int slots = ReplicaAgent.this.reserve(kind);
					if (slots > 0) {
						reserved.put(id, slots);
					}
				});
			}
			return reserved;
		}

		@Override
		public void claimed(String executor, List<Object> units, int reserved, List<Object> ahead) {
			ExecutorKind.fromId(executor).ifPresent((kind) -> claimedAfterEnds(kind, units, reserved, ahead));
		}

		@Override
		public Set<String> awaited(Set<String> jobs) {
			Set<String> awaited = new HashSet<>();
			for (String job : jobs) {
				if (ReplicaAgent.this.watchers.awaited(job)) {
					awaited.add(job);
				}
			}
			return awaited;
		}

		@Override
		public void finished(String jobId, RedisStore.WholeJob whole) {
			ReplicaAgent.this.watchers.keepFinal(jobId, whole);
		}

	}

	/** A job was cancelled on some replica: abort its units running here. */
	void cancelled(String jobId) {
		this.accepted.forget(jobId);
		Set<RunningUnit> units = this.running.get(jobId);
		if (units != null) {
			List.copyOf(units).forEach((unit) -> unit.control.abort(TaskControl.AbortReason.CANCELLED));
		}
	}

	// ---------------------------------------------------------------- cluster members

	@Override
	public List<ReplicaView> replicas() {
		long now = this.store.now();
		List<ReplicaView> replicas = new ArrayList<>();
		for (RedisStore.Member member : this.store.members()) {
			String description = member.description();
			if (description != null) {
				replicas.add(new ReplicaView(member.id(), Math.max(0, now - member.lastSeen()),
						this.codec.executors(description)));
			}
		}
		return replicas;
	}

	@Override
	public int liveReplicas() {
		return this.liveReplicas;
	}

	@Override
	public Map<ExecutorKind, Integer> queuedTasks() {
		return this.queued;
	}

	// ---------------------------------------------------------------- stopping

	/**
	 * Stop claiming, let the units running here end within the grace, hand the rest back
	 * to the cluster (they are not cancelled: another replica runs them), and leave.
	 */
	void drain(Duration grace) {
		if (!this.started.get()) {
			return;
		}
		this.claiming = false;
		this.claimers.values().forEach((claimer) -> claimer.wake.release());
		long deadline = System.nanoTime() + grace.toNanos();
		while (!this.running.isEmpty() && System.nanoTime() - deadline < 0) {
			sleep(Duration.ofMillis(50));
		}
		List<RunningUnit> left = this.running.values().stream().flatMap(Set::stream).toList();
		left.forEach((unit) -> unit.handedBack = true);
		// What ended is told before the rest is handed back, so that it does not run
		// again.
		this.reporter.stop(Duration.ofSeconds(5));
		if (!left.isEmpty()) {
			try {
				List<Object> handed = this.store.reclaim(this.replicaId, "handback", this.cluster.maxRedeliveries(),
						lostOutcome(), this.jobs.store().maxAge());
				logger.info("Stopping: handed {} running tasks back to the cluster ({})", left.size(), handed);
			}
			catch (StoreUnavailableException ex) {
				logger.warn("Stopping: could not hand back {} tasks; they run again once this replica's "
						+ "heartbeat expires", left.size());
			}
			left.forEach((unit) -> unit.control.abort(TaskControl.AbortReason.CANCELLED));
		}
		this.beating = false;
		this.threads.forEach(Thread::interrupt);
		this.wakeUps.close();
		try {
			this.store.leave(this.replicaId);
		}
		catch (StoreUnavailableException ex) {
			logger.debug("Could not leave the cluster: {}", ex.getMessage());
		}
		this.started.set(false);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// ---------------------------------------------------------------- claiming and
	// running

	/** A unit this replica claimed and runs. */
	private static final class RunningUnit {

		final String jobId;

		final String unit;

		final RedisCodec.StoredUnit stored;

		final TaskControl control;

		/** For a unit started before its job's admission was answered. */
		final @Nullable AdmissionGate gate;

		volatile boolean handedBack;

		RunningUnit(String jobId, String unit, RedisCodec.StoredUnit stored, TaskControl control,
				@Nullable AdmissionGate gate) {
			this.jobId = jobId;
			this.unit = unit;
			this.stored = stored;
			this.control = control;
			this.gate = gate;
		}

		/** Run now, or once the admission is answered (if this unit waits for it). */
		void then(Runnable admitted, Runnable refused) {
			AdmissionGate waitingFor = this.gate;
			if (waitingFor != null) {
				waitingFor.then(admitted, refused);
			}
			else {
				admitted.run();
			}
		}

	}

	/** Claims units for one executor, never more than it can start now. */
	private final class Claimer {

		final TaskExecutor executor;

		final Semaphore slots;

		final Semaphore wake = new Semaphore(0);

		/**
		 * Counts the news of work, so that slots given back unfilled can tell whether
		 * some came meanwhile.
		 */
		final AtomicLong workSignals = new AtomicLong();

		/**
		 * The news of work seen when each outstanding reservation was made (the newest).
		 */
		private volatile long signalsAtReserve;

		Claimer(TaskExecutor executor) {
			this.executor = executor;
			this.slots = new Semaphore(executor.size());
		}

		void run() {
			while (ReplicaAgent.this.claiming) {
				int free = this.slots.availablePermits();
				if (free == 0) {
					await(IDLE_POLL);
					continue;
				}
				int max = Math.min(free, ReplicaAgent.this.cluster.claimBatch());
				if (!this.slots.tryAcquire(max)) {
					continue;
				}
				List<Object> claimed;
				long began = System.nanoTime();
				try {
					claimed = ReplicaAgent.this.store.claim(this.executor.kind().id(), ReplicaAgent.this.replicaId,
							max);
				}
				catch (RuntimeException ex) {
					this.slots.release(max);
					logger.debug("Claim failed: {}", ex.getMessage());
					sleep(STORE_BACKOFF);
					continue;
				}
				ReplicaAgent.this.clusterMetrics.claimed(Duration.ofNanos(System.nanoTime() - began));
				int got = claimed.size() / 6;
				this.slots.release(max - got);
				startAll(claimed);
				if (got == 0) {
					await(IDLE_POLL);
				}
			}
		}

		int reserve() {
			if (!ReplicaAgent.this.claiming) {
				return 0;
			}
			long signals = this.workSignals.get();
			int max = Math.min(this.slots.availablePermits(), ReplicaAgent.this.cluster.claimBatch());
			if (max <= 0 || !this.slots.tryAcquire(max)) {
				return 0;
			}
			this.signalsAtReserve = signals;
			return max;
		}

		void claimed(List<Object> units, int reserved) {
			int got = units.size() / 6;
			if (reserved > got) {
				this.slots.release(reserved - got);
				// News of work that came while the slots were reserved found none free:
				// look now.
				if (this.workSignals.get() != this.signalsAtReserve) {
					this.wake.release();
				}
			}
			startAll(units);
		}

		private void startAll(List<Object> claimed) {
			for (int i = 0; i + 6 <= claimed.size(); i += 6) {
				List<Object> unit = claimed.subList(i, i + 6);
				start(String.valueOf(unit.get(0)), String.valueOf(unit.get(1)), String.valueOf(unit.get(2)),
						Long.parseLong(String.valueOf(unit.get(3))), "1".equals(String.valueOf(unit.get(5))), null);
			}
		}

		private void await(Duration timeout) {
			try {
				this.wake.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
				this.wake.drainPermits();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		RunningUnit start(String jobId, String unit, String unitJson, long timeoutMs, boolean cancelled,
				@Nullable AdmissionGate gate) {
			RedisCodec.StoredUnit stored = ReplicaAgent.this.codec.unit(unitJson);
			TaskControl control = TaskControl.unstarted(Duration.ofMillis(Math.max(1, timeoutMs)));
			RunningUnit running = new RunningUnit(jobId, unit, stored, control, gate);
			ReplicaAgent.this.running.computeIfAbsent(jobId, (id) -> ConcurrentHashMap.newKeySet()).add(running);
			UnitListener listener = new UnitListener(this, running);
			if (cancelled) {
				control.abort(TaskControl.AbortReason.CANCELLED);
			}
			this.executor.load().accepted(1);
			this.executor.submit(new TaskSubmission(stored.work(), control, listener));
			return running;
		}

		/**
		 * The slot is free again; the report of the unit's end claims for it, once the
		 * store sees the place the unit held in its job's concurrency.
		 */
		void freed() {
			this.slots.release();
		}

	}

	/** Hears of one claimed unit from the executor and tells the store. */
	private final class UnitListener implements TaskListener {

		private final Claimer claimer;

		private final RunningUnit unit;

		private @Nullable Future<?> deadline;

		private volatile boolean started;

		private volatile long startedNanos;

		UnitListener(Claimer claimer, RunningUnit unit) {
			this.claimer = claimer;
			this.unit = unit;
		}

		@Override
		public void started(WorkerInfo worker) {
			this.started = true;
			this.startedNanos = System.nanoTime();
			this.deadline = ReplicaAgent.this.deadlines.watch(this.unit.control);
			UnitReporter.Entry start = new UnitReporter.Entry(true, this.claimer.executor.kind().id(), this.unit.jobId,
					this.unit.unit, this.unit.stored.t(), this.unit.stored.k(),
					ReplicaAgent.this.codec.worker(worker.onReplica(ReplicaAgent.this.replicaId)), "",
					System.nanoTime(), (waited) -> {
						if (waited >= 0) {
							ReplicaAgent.this.jobMetrics.jobStarted(type(), this.claimer.executor.kind(),
									Duration.ofMillis(waited));
						}
					}, null);
			this.unit.then(() -> ReplicaAgent.this.reporter.add(start), () -> {
			});
		}

		@Override
		public void finished(TaskOutcome outcome, @Nullable Duration cpuTime) {
			long endedAt = System.nanoTime();
			this.unit.then(() -> finished(outcome, cpuTime, endedAt), this::forget);
		}

		/**
		 * Stops the unit's deadline and drops it from what this replica runs; alone, for
		 * a unit started ahead of an admission that was refused, whose end nobody
		 * reports.
		 */
		private void forget() {
			Future<?> timer = this.deadline;
			if (timer != null) {
				timer.cancel(false);
			}
			ReplicaAgent.this.running.computeIfPresent(this.unit.jobId, (id, units) -> {
				units.remove(this.unit);
				return units.isEmpty() ? null : units;
			});
		}

		private void finished(TaskOutcome outcome, @Nullable Duration cpuTime, long endedAt) {
			String member = this.unit.jobId + "|" + this.unit.unit;
			if (!this.unit.handedBack) {
				ReplicaAgent.this.unreported.add(member);
			}
			forget();
			if (this.unit.handedBack) {
				this.claimer.freed();
				return;
			}
			Double ms = this.started ? (endedAt - this.startedNanos) / 1_000_000.0 : null;
			Double cpu = (cpuTime != null) ? cpuTime.toNanos() / 1_000_000.0 : null;
			String stored = ReplicaAgent.this.codec.outcome(outcome, ms, cpu);
			String code = (outcome instanceof TaskOutcome.Failed failed) ? failed.code().code() : "";
			boolean mayContinue = outcome instanceof TaskOutcome.Succeeded && ReplicaAgent.this.claiming
					&& ReplicaAgent.this.liveReplicas == 1;
			if (mayContinue) {
				ReplicaAgent.this.continuing.lock();
			}
			try {
				StartedAhead next = mayContinue ? startNext() : null;
				if (next == null) {
					this.claimer.freed();
				}
				report(member, stored, code, outcome, (ms != null) ? ms : 0, endedAt, next);
			}
			finally {
				if (mayContinue) {
					ReplicaAgent.this.continuing.unlock();
				}
			}
		}

		/**
		 * Start the job's next unit in the slot this end freed, if this replica accepted
		 * the job and it was alone in line: the claim the report of this end makes gives
		 * that unit (other replicas' claims could take it first, hence one replica only).
		 */
		private @Nullable StartedAhead startNext() {
			AcceptedUnits.Next next = ReplicaAgent.this.accepted.next(this.unit.jobId);
			if (next == null) {
				return null;
			}
			AdmissionGate gate = new AdmissionGate();
			return new StartedAhead(
					this.claimer.start(this.unit.jobId, next.unit(), next.json(), next.timeoutMs(), false, gate), gate);
		}

		/**
		 * Should this replica die before the end reaches the store, the unit runs again
		 * elsewhere.
		 */
		private void report(String member, String stored, String code, TaskOutcome outcome, double ms, long endedAt,
				@Nullable StartedAhead next) {
			ReplicaAgent.this.reporter
				.add(new UnitReporter.Entry(false, this.claimer.executor.kind().id(), this.unit.jobId, this.unit.unit,
						this.unit.stored.t(), this.unit.stored.k(), stored, code, endedAt, (answer) -> {
							ReplicaAgent.this.unreported.remove(member);
							ExecutorKind kind = this.claimer.executor.kind();
							if ((answer & 2) != 0 && this.started) {
								ReplicaAgent.this.jobMetrics.taskEnded(type(), kind, taskStatus(outcome),
										Duration.ofNanos((long) (ms * 1_000_000)));
							}
							if ((answer & 6) == 2) {
								ReplicaAgent.this.watchers.taskEnded(this.unit.jobId);
							}
							if ((answer & 4) != 0) {
								RedisStore.WholeJob whole = ReplicaAgent.this.watchers.peekFinal(this.unit.jobId);
								// Who waits here need not wait for the store's message.
								ReplicaAgent.this.watchers.finished(this.unit.jobId);
								if (whole != null) {
									jobFinished(kind, whole.job());
								}
								else {
									Thread.ofVirtual().start(() -> jobFinished(kind));
								}
							}
						}, next));
		}

		private void jobFinished(ExecutorKind kind) {
			try {
				jobFinished(kind, ReplicaAgent.this.store.job(this.unit.jobId));
			}
			catch (StoreUnavailableException ex) {
				logger.debug("Could not read a finished job: {}", ex.getMessage());
			}
		}

		private void jobFinished(ExecutorKind kind, Map<String, String> job) {
			String startedAt = job.get("startedAt");
			String finishedAt = job.get("finishedAt");
			Duration wall = (startedAt != null && finishedAt != null)
					? Duration.ofMillis(Long.parseLong(finishedAt) - Long.parseLong(startedAt)) : Duration.ZERO;
			ReplicaAgent.this.jobMetrics.jobFinished(type(), kind, RedisJobBackend.status(job.get("status")), wall);
		}

		private JobType type() {
			return this.unit.stored.type();
		}

		private static TaskStatus taskStatus(TaskOutcome outcome) {
			return switch (outcome) {
				case TaskOutcome.Succeeded succeeded -> TaskStatus.SUCCEEDED;
				case TaskOutcome.Failed failed ->
					(failed.code() == TaskErrorCode.CANCELLED) ? TaskStatus.CANCELLED : TaskStatus.FAILED;
			};
		}

	}

}
