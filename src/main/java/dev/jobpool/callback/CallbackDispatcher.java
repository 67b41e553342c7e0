package dev.jobpool.callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorProperties;
import dev.jobpool.fetch.UrlFetcher;
import dev.jobpool.job.CallbackAttempt;
import dev.jobpool.job.CallbackOutbox;
import dev.jobpool.job.CallbackStatus;
import dev.jobpool.job.Job;
import dev.jobpool.job.JobBackend;
import dev.jobpool.job.JobView;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskFailedException;

/**
 * Delivers the callbacks of ended jobs: takes those due from the store's outbox, POSTs
 * each on a virtual thread of its own (at most {@code max-in-flight} at once, so a slow
 * or dead receiver costs one connection per attempt under way and nothing while it waits
 * for a retry), and records how each attempt went. Executors never wait for it.
 */
@Component
class CallbackDispatcher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(CallbackDispatcher.class);

	private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

	private static final int CLAIM_BATCH = 32;

	private final JobBackend backend;

	private final UrlFetcher fetcher;

	private final CallbackProperties properties;

	private final JsonMapper json;

	private final CallbackSigner signer;

	private final CallbackMetrics metrics;

	private final Duration shutdownGrace;

	private final Semaphore slots;

	private volatile boolean running;

	private @Nullable Thread loop;

	CallbackDispatcher(JobBackend backend, UrlFetcher fetcher, CallbackProperties properties, JsonMapper json,
			MeterRegistry registry, ExecutorProperties executors) {
		this.backend = backend;
		this.fetcher = fetcher;
		this.properties = properties;
		this.json = json;
		this.signer = new CallbackSigner(properties.secret());
		this.metrics = new CallbackMetrics(registry);
		this.shutdownGrace = executors.shutdownGrace();
		this.slots = new Semaphore(properties.maxInFlight());
	}

	@Override
	public void start() {
		if (!this.signer.signs()) {
			logger.warn("No callback secret is set (jobpool.callbacks.secret or JOBPOOL_CALLBACKS_SECRET, "
					+ "whsec_<base64>): job callbacks are sent unsigned");
		}
		this.running = true;
		this.loop = Thread.ofVirtual().name("jobpool-callbacks").start(this::run);
	}

	private void run() {
		CallbackOutbox outbox = this.backend.callbacks();
		Duration lease = this.properties.timeout().plus(LEASE_MARGIN);
		while (this.running) {
			int free = this.slots.availablePermits();
			List<Job> due = List.of();
			if (free > 0) {
				try {
					CallbackOutbox.Claimed claimed = outbox.claimDue(Math.min(free, CLAIM_BATCH), lease,
							this.properties.maxAttempts());
					this.metrics.lost(claimed.lost());
					due = claimed.jobs();
				}
				catch (RuntimeException ex) {
					logger.debug("Could not look for due callbacks: {}", ex.getMessage());
				}
			}
			for (Job job : due) {
				this.slots.acquireUninterruptibly();
				Thread.ofVirtual().name("jobpool-callback-" + job.id()).start(() -> {
					try {
						attempt(outbox, job);
					}
					catch (RuntimeException ex) {
						// The store was away: the lease runs out and the callback is due
						// again.
						logger.debug("Callback of job {} not attempted: {}", job.id(), ex.getMessage());
					}
					finally {
						this.slots.release();
					}
				});
			}
			if (due.isEmpty()) {
				pause();
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(this.properties.pollInterval());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	private void attempt(CallbackOutbox outbox, Job job) {
		JobView view = job.view(true);
		JobView.CallbackView callback = view.callback();
		if (callback == null || callback.status() != CallbackStatus.PENDING) {
			return;
		}
		String body = outbox.body(job,
				() -> this.json.writeValueAsString(new CallbackPayload("job." + view.status().id(),
						(view.finishedAt() != null) ? view.finishedAt() : Instant.now(), view)));
		int attempt = callback.attempts() + 1;
		String id = "msg_" + job.id();
		long timestamp = Instant.now().getEpochSecond();
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("webhook-id", id);
		headers.put("webhook-timestamp", Long.toString(timestamp));
		String signature = this.signer.signature(id, timestamp, body);
		if (signature != null) {
			headers.put("webhook-signature", signature);
		}
		long started = System.nanoTime();
		CallbackAttempt result;
		CallbackMetrics.Outcome outcome;
		try {
			int status = this.fetcher.post(URI.create(callback.url()), body.getBytes(StandardCharsets.UTF_8), headers,
					TaskControl.withTimeout(this.properties.timeout()));
			if (status >= 200 && status < 300) {
				result = new CallbackAttempt(CallbackStatus.DELIVERED, status, null, Instant.now(), null);
				outcome = CallbackMetrics.Outcome.DELIVERED;
			}
			else if (status == 410) {
				result = new CallbackAttempt(CallbackStatus.FAILED, status,
						new JobView.CallbackError("gone", "the receiver answered 410 Gone: no more attempts"),
						Instant.now(), null);
				outcome = CallbackMetrics.Outcome.FAILED;
			}
			else {
				result = failed(attempt, status,
						new JobView.CallbackError("http_status", "the receiver answered " + status));
				outcome = (result.status() == CallbackStatus.PENDING) ? CallbackMetrics.Outcome.RETRIED
						: CallbackMetrics.Outcome.FAILED;
			}
		}
		catch (TaskFailedException ex) {
			JobView.CallbackError error = new JobView.CallbackError(ex.code().code(), String.valueOf(ex.getMessage()));
			if (ex.code() == TaskErrorCode.BLOCKED) {
				result = new CallbackAttempt(CallbackStatus.FAILED, null, error, Instant.now(), null);
				outcome = CallbackMetrics.Outcome.BLOCKED;
			}
			else {
				result = failed(attempt, null, error);
				outcome = (result.status() == CallbackStatus.PENDING) ? CallbackMetrics.Outcome.RETRIED
						: CallbackMetrics.Outcome.FAILED;
			}
		}
		this.metrics.attempted(outcome, Duration.ofNanos(System.nanoTime() - started));
		outbox.attempted(job, result);
		if (result.status() == CallbackStatus.FAILED) {
			logger.info("Callback of job {} failed after {} attempts: {}", job.id(), attempt, result.error());
		}
	}

	/** A failed attempt: retried after a back-off, unless it was the last one. */
	private CallbackAttempt failed(int attempt, @Nullable Integer status, JobView.CallbackError error) {
		Instant now = Instant.now();
		if (attempt >= this.properties.maxAttempts()) {
			return new CallbackAttempt(CallbackStatus.FAILED, status, error, now, null);
		}
		return new CallbackAttempt(CallbackStatus.PENDING, status, error, now, now.plus(backoff(attempt)));
	}

	/**
	 * About a second before the first retry, doubling, capped, with jitter so that the
	 * callbacks of jobs that ended together do not come back together.
	 */
	Duration backoff(int attempt) {
		long base = this.properties.firstRetry().toMillis() << Math.min(attempt - 1, 30);
		double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
		long wait = Math.min((long) (base * jitter), this.properties.maxBackoff().toMillis());
		return Duration.ofMillis(Math.max(1, wait));
	}

	/**
	 * Stop taking callbacks, and give the attempts under way the shutdown grace; what is
	 * not delivered stays in the outbox (for the cluster, in the shared store).
	 */
	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.loop;
		if (thread != null) {
			thread.interrupt();
		}
		try {
			if (this.slots.tryAcquire(this.properties.maxInFlight(), this.shutdownGrace.toMillis(),
					TimeUnit.MILLISECONDS)) {
				this.slots.release(this.properties.maxInFlight());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops after the jobs have drained, so that their callbacks are still tried. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

	/**
	 * What a callback POSTs.
	 *
	 * @param type {@code job.succeeded}, {@code job.failed} or {@code job.cancelled}
	 * @param timestamp when the job ended
	 * @param data the job exactly as {@code GET /api/jobs/{id}} answers it
	 */
	record CallbackPayload(String type, Instant timestamp, JobView data) {
	}

}
