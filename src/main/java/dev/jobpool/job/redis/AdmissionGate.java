package dev.jobpool.job.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back what the units of a new job, started by the accepting replica before the
 * job's admission was answered, would tell the store, until the answer says whether they
 * were this replica's to run. Admitted, what was held goes out in the order it came and
 * what comes later goes straight through; refused (the job was not created, or the
 * admission's own claim gave these units to no one or to others first), none of it does.
 * <p>
 * The admission's answer is a round trip away, and a job's first units need not wait for
 * it: nothing else can claim a job that Redis has not seen yet.
 */
final class AdmissionGate {

	private enum State {

		WAITING, ADMITTED, REFUSED

	}

	private record Held(Runnable admitted, Runnable refused) {
	}

	private State state = State.WAITING;

	private final List<Held> held = new ArrayList<>(4);

	/**
	 * Run {@code admitted} once the units are confirmed as this replica's, or
	 * {@code refused} if they are not; at once if that is known already. Actions run in
	 * the order given.
	 * @param admitted what to do if admitted
	 * @param refused what to do if refused
	 */
	synchronized void then(Runnable admitted, Runnable refused) {
		switch (this.state) {
			case WAITING -> this.held.add(new Held(admitted, refused));
			case ADMITTED -> admitted.run();
			case REFUSED -> refused.run();
		}
	}

	/**
	 * The units are this replica's: what was held goes out.
	 * @return whether this decided it (false if it was decided already)
	 */
	synchronized boolean admit() {
		return decide(State.ADMITTED);
	}

	/**
	 * The units are not this replica's.
	 * @return whether this decided it (false if it was decided already)
	 */
	synchronized boolean refuse() {
		return decide(State.REFUSED);
	}

	private boolean decide(State decision) {
		if (this.state != State.WAITING) {
			return false;
		}
		this.state = decision;
		for (Held action : this.held) {
			((decision == State.ADMITTED) ? action.admitted() : action.refused()).run();
		}
		this.held.clear();
		return true;
	}

}
