package dev.jobpool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests a test server gets, those in flight, and the most in flight at
 * once. A request is in flight from its arrival until its answer starts: a client that
 * has read the answer and sends its next request must not find this one still counted.
 */
public final class RequestCounter {

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	/**
	 * Count a request that has arrived.
	 * @return to run just before its answer starts, and again when the exchange ends;
	 * only the first run counts
	 */
	public Runnable arrive() {
		this.requests.incrementAndGet();
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		AtomicBoolean left = new AtomicBoolean();
		return () -> {
			if (left.compareAndSet(false, true)) {
				this.inFlight.decrementAndGet();
			}
		};
	}

	public int requests() {
		return this.requests.get();
	}

	public int inFlight() {
		return this.inFlight.get();
	}

	public int maxInFlight() {
		return this.maxInFlight.get();
	}

}
