package dev.jobpool.job;

import org.springframework.stereotype.Component;

import dev.jobpool.cluster.Replica;
import dev.jobpool.execution.ExecutorRegistry;

/**
 * Runs jobs as rehearsals, for the service's warm-up: a job submitted inside
 * {@link Rehearsal#call} takes the real path (validation, planning, chunking, the
 * executors and their worker processes) but lives in a store of its own, which no listing
 * shows, and leaves no trace in the metrics, in the executors' counts or in a shared
 * store, whichever store the service uses.
 */
@Component
public class JobRehearsals {

	private static final ScopedValue<JobBackend> BACKEND = ScopedValue.newInstance();

	private final JobProperties properties;

	private final JobPlanner planner;

	private final ExecutorRegistry executors;

	private final DeadlineTimer deadlines;

	private final String replicaId;

	JobRehearsals(JobProperties properties, JobPlanner planner, ExecutorRegistry executors, DeadlineTimer deadlines,
			Replica replica) {
		this.properties = properties;
		this.planner = planner;
		this.executors = executors;
		this.deadlines = deadlines;
		this.replicaId = replica.id();
	}

	/**
	 * Start a rehearsal, with an empty store of its own.
	 * @return the rehearsal; close it when it is over
	 */
	public Rehearsal open() {
		return new Rehearsal(LocalJobBackend.forRehearsals(this.properties, this.planner, this.executors,
				this.deadlines, this.replicaId));
	}

	/**
	 * Return where the jobs of the calling thread live: the rehearsal's store inside
	 * {@link Rehearsal#call}, else the service's.
	 */
	JobBackend backendOr(JobBackend backend) {
		return BACKEND.orElse(backend);
	}

	/**
	 * One rehearsal: the jobs submitted, found and listed inside {@link #call} are its
	 * own, until it is closed.
	 */
	public static final class Rehearsal implements AutoCloseable {

		private final LocalJobBackend backend;

		private Rehearsal(LocalJobBackend backend) {
			this.backend = backend;
		}

		/**
		 * Run an operation, on this thread, whose jobs are this rehearsal's.
		 * @param <T> what it returns
		 * @param <X> what it may throw
		 * @param operation the operation, for example an HTTP request's way through the
		 * service
		 * @return what it returned
		 * @throws X what it threw
		 */
		public <T, X extends Throwable> T call(ScopedValue.CallableOp<? extends T, X> operation) throws X {
			return ScopedValue.where(BACKEND, this.backend).call(operation);
		}

		/** Cancel the rehearsal's jobs that still run. */
		@Override
		public void close() {
			this.backend.abandon();
		}

	}

}
