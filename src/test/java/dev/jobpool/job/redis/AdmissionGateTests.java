package dev.jobpool.job.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What units started before their job's admission was answered tell the store: held until
 * the answer, then all of it in order, or none of it.
 */
class AdmissionGateTests {

	private final AdmissionGate gate = new AdmissionGate();

	private final List<String> done = new CopyOnWriteArrayList<>();

	@Test
	void whatComesBeforeTheAnswerWaitsAndGoesOutInOrderOnceAdmitted() {
		this.gate.then(() -> this.done.add("start"), () -> this.done.add("dropped start"));
		this.gate.then(() -> this.done.add("end"), () -> this.done.add("dropped end"));
		assertThat(this.done).isEmpty();

		this.gate.admit();
		this.gate.then(() -> this.done.add("later"), () -> this.done.add("dropped later"));

		assertThat(this.done).containsExactly("start", "end", "later");
	}

	@Test
	void refusedNothingHeldGoesOutAndWhatComesLaterIsRefusedAtOnce() {
		this.gate.then(() -> this.done.add("start"), () -> this.done.add("dropped start"));

		assertThat(this.gate.refuse()).isTrue();
		this.gate.then(() -> this.done.add("end"), () -> this.done.add("dropped end"));

		assertThat(this.done).containsExactly("dropped start", "dropped end");
	}

	@Test
	void theFirstAnswerDecides() {
		this.gate.admit();

		assertThat(this.gate.refuse()).isFalse();
		this.gate.then(() -> this.done.add("end"), () -> this.done.add("dropped end"));

		assertThat(this.done).containsExactly("end");
	}

}
