package dev.jobpool.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import dev.jobpool.execution.ExecutorProperties;

/**
 * Accepts, finds, lists and cancels jobs, whichever {@link JobBackend} keeps them, and
 * stops taking jobs while the service shuts down.
 */
@Service
public class JobService implements SmartLifecycle, DisposableBean {

	/** How long a DELETE waits for the cancelled job's running tasks to stop. */
	static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

	private final JobProperties properties;

	private final JobBackend backend;

	private final Duration shutdownGrace;

	private volatile boolean running;

	private volatile boolean shuttingDown;

	private final List<JobAdmissionCheck> admissionChecks;

	private final JobRehearsals rehearsals;

	JobService(JobProperties properties, ExecutorProperties executorProperties, JobBackend backend,
			List<JobAdmissionCheck> admissionChecks, JobRehearsals rehearsals) {
		this.properties = properties;
		this.admissionChecks = List.copyOf(admissionChecks);
		this.shutdownGrace = executorProperties.shutdownGrace();
		this.backend = backend;
		this.rehearsals = rehearsals;
	}

	/**
	 * Return the store of the calling thread's jobs: a rehearsal's while one runs on it.
	 */
	private JobBackend backend() {
		return this.rehearsals.backendOr(this.backend);
	}

	/**
	 * Accept a job and start it.
	 * @param spec the validated request
	 * @return the job, already queued or running
	 * @throws QueueFullException if too many tasks wait already
	 * @throws IllegalArgumentException if the executor name is unknown (requests are
	 * validated before they get here)
	 */
	public Job submit(JobSpec spec) {
		return submit(spec, null);
	}

	/**
	 * Accept a job once per idempotency key: a retry with the same key and the same
	 * request gets the job the first request created.
	 * @param spec the validated request
	 * @param idempotencyKey the client's key, or {@code null} to always create a job
	 * @return the job
	 * @throws IdempotencyKeyReusedException if the key came before with a different
	 * request
	 */
	public Job submit(JobSpec spec, @Nullable String idempotencyKey) {
		if (this.shuttingDown) {
			throw new ServiceShuttingDownException(this.properties.retryAfter());
		}
		this.admissionChecks.forEach((check) -> check.check(spec));
		return backend().submit(spec, idempotencyKey);
	}

	/**
	 * Return where the callbacks of ended jobs wait to be delivered.
	 * @return the outbox of the store in use
	 */
	public CallbackOutbox callbacks() {
		return this.backend.callbacks();
	}

	/**
	 * Find a job.
	 * @param id its id
	 * @return the job
	 * @throws JobNotFoundException if unknown or evicted
	 */
	public Job get(String id) {
		return backend().find(id).orElseThrow(() -> new JobNotFoundException(id));
	}

	/**
	 * Show a job with its tasks as it is now.
	 * @param id its id
	 * @return the job's view
	 * @throws JobNotFoundException if unknown or evicted
	 */
	public JobView view(String id) {
		return backend().view(id).orElseThrow(() -> new JobNotFoundException(id));
	}

	/**
	 * List jobs, newest first.
	 * @param status only this status, or all
	 * @param type only this type, or all
	 * @param limit at most this many
	 * @return the jobs
	 */
	public List<Job> list(@Nullable JobStatus status, @Nullable JobType type, int limit) {
		return backend().list(status, type, limit);
	}

	/**
	 * Cancel a job: its waiting tasks never run and its running ones are interrupted.
	 * Waits a few seconds for them to end; a job whose tasks take longer is returned
	 * still running, with its {@code cancelReason}.
	 * @param id the job's id
	 * @return the job
	 * @throws JobNotFoundException if unknown or evicted
	 * @throws JobAlreadyFinishedException if it has already finished
	 */
	public Job cancel(String id) {
		Job job = get(id);
		if (!job.cancel("cancelled by request")) {
			throw new JobAlreadyFinishedException(id, job.status());
		}
		// Aborted tasks take a moment to stop; waiting for them lets the answer be the
		// cancelled job rather than one whose tasks still run.
		job.await(CANCEL_WAIT);
		return job;
	}

	/**
	 * Wait for a job to finish, at most {@code wait}.
	 * @param job the job
	 * @param wait how long to wait
	 * @return whether it finished in time
	 */
	public boolean await(Job job, Duration wait) {
		return job.await(wait);
	}

	/**
	 * Wait for something the service runs to end, at most {@code wait}; an interrupt ends
	 * the wait early and is kept.
	 * @param completion completed when it ends
	 * @param wait how long to wait
	 * @return whether it ended in time
	 */
	public static boolean awaitCompletion(CompletableFuture<?> completion, Duration wait) {
		try {
			completion.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Completed exceptionally", ex.getCause());
		}
	}

	/**
	 * Take jobs: at start-up, and again when a stopped context is restarted (as test
	 * contexts are).
	 */
	@Override
	public void start() {
		this.shuttingDown = false;
		this.running = true;
	}

	/**
	 * Stop taking jobs (POST answers 503) and let the work in progress end within the
	 * shutdown grace; the backend cancels or hands back what is left, so that no job
	 * stays running here once the service has stopped.
	 */
	@Override
	public void stop() {
		this.shuttingDown = true;
		this.backend.drain(this.shutdownGrace);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop before the web server, so that requests are still answered (with 503) while
	 * jobs drain.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		this.backend.abandon();
	}

}
