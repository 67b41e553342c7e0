package dev.jobpool.fetch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import dev.jobpool.task.TaskControl.AbortReason;
import dev.jobpool.task.TaskControl;
import dev.jobpool.task.TaskFailedException;

/**
 * Caps how many requests are in flight, to one host and in all: politeness towards each
 * server, and a bound on the sockets and memory of the fetcher. A request waits its turn,
 * first in line first served; the wait counts against its task's deadline and ends when
 * the task is aborted. A host is tracked only while a request to it holds or awaits a
 * permit, so the hosts seen over time do not pile up.
 */
final class FetchPermits {

	private final int perHost;

	private final Permits global;

	private final ConcurrentMap<String, Host> hosts = new ConcurrentHashMap<>();

	FetchPermits(int perHost, int inFlight) {
		this.perHost = perHost;
		this.global = new Permits(inFlight);
	}

	/**
	 * Wait for a permit to send a request to a host, then for a permit of the global cap.
	 * @param hostKey the host and port, lowercase: {@code example.com:443}
	 * @param control the task the request is for
	 * @return the permits, to close once the request and its response are done with
	 * @throws TaskFailedException if the task's deadline passes or the task is aborted
	 * first
	 */
	Lease acquire(String hostKey, TaskControl control) throws TaskFailedException {
		// Counted as a user before waiting, so that the entry cannot be removed under the
		// waiter.
		Host host = this.hosts.compute(hostKey, (key, existing) -> {
			Host entry = (existing != null) ? existing : new Host(new Permits(this.perHost));
			entry.users++;
			return entry;
		});
		try {
			// The host's permit first: a request queued behind a busy host holds no
			// global permit.
			host.permits.acquire(control);
			try {
				this.global.acquire(control);
			}
			catch (TaskFailedException | RuntimeException ex) {
				host.permits.release();
				throw ex;
			}
		}
		catch (TaskFailedException | RuntimeException ex) {
			leave(hostKey);
			throw ex;
		}
		return new Lease(this, hostKey, host);
	}

	private void leave(String hostKey) {
		this.hosts.computeIfPresent(hostKey, (key, entry) -> (--entry.users == 0) ? null : entry);
	}

	/**
	 * Return how many hosts are tracked now: those with a request holding or awaiting a
	 * permit.
	 * @return the number of hosts
	 */
	int trackedHosts() {
		return this.hosts.size();
	}

	/**
	 * The permits held for one request; closing gives them back.
	 */
	static final class Lease implements AutoCloseable {

		private final FetchPermits owner;

		private final String hostKey;

		private final Host host;

		private boolean closed;

		private Lease(FetchPermits owner, String hostKey, Host host) {
			this.owner = owner;
			this.hostKey = hostKey;
			this.host = host;
		}

		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.owner.global.release();
			this.host.permits.release();
			this.owner.leave(this.hostKey);
		}

	}

	private static final class Host {

		private final Permits permits;

		// Guarded by the map's compute methods.
		private int users;

		private Host(Permits permits) {
			this.permits = permits;
		}

	}

	/**
	 * A counting semaphore whose waits end at a task's deadline or abort. Each waiter
	 * gets a future completed when a permit is handed to it; an abort cancels the future,
	 * which wakes the waiter at once, where {@code Semaphore} would need the thread
	 * interrupted.
	 */
	private static final class Permits {

		private final ReentrantLock lock = new ReentrantLock();

		private final Queue<CompletableFuture<Void>> waiters = new ArrayDeque<>();

		private int available;

		private Permits(int permits) {
			this.available = permits;
		}

		void acquire(TaskControl control) throws TaskFailedException {
			CompletableFuture<Void> turn;
			this.lock.lock();
			try {
				if (this.available > 0 && this.waiters.isEmpty()) {
					this.available--;
					return;
				}
				turn = new CompletableFuture<>();
				this.waiters.add(turn);
			}
			finally {
				this.lock.unlock();
			}
			control.onAbort(() -> turn.cancel(false));
			try {
				// One more millisecond so that a wait cut short by the deadline ends
				// after it.
				Duration wait = control.remaining().plusMillis(1);
				turn.get(wait.toNanos(), TimeUnit.NANOSECONDS);
				return;
			}
			catch (TimeoutException | CancellationException ex) {
				giveUp(turn);
			}
			catch (InterruptedException ex) {
				giveUp(turn);
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				giveUp(turn);
				throw new IllegalStateException("a permit's future never fails", ex);
			}
			control.checkNotAborted();
			// The wait ended at the deadline, a hair before the control counts it as
			// passed.
			throw control.failure(AbortReason.TIMEOUT);
		}

		/**
		 * Leave the line; a permit handed over in the meantime is passed on.
		 */
		private void giveUp(CompletableFuture<Void> turn) {
			boolean granted = !turn.cancel(false) && !turn.isCancelled();
			if (granted) {
				release();
				return;
			}
			this.lock.lock();
			try {
				this.waiters.remove(turn);
			}
			finally {
				this.lock.unlock();
			}
		}

		void release() {
			this.lock.lock();
			try {
				CompletableFuture<Void> next;
				while ((next = this.waiters.poll()) != null) {
					if (next.complete(null)) {
						return;
					}
				}
				this.available++;
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
