package dev.jobpool.job.redis;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replica keeps of the sum jobs it accepted to start their next units ahead of
 * their claims, and when it lets go.
 */
class AcceptedUnitsTests {

	private static final List<String> UNITS = List.of("u0", "u1", "u2", "u3");

	private final AcceptedUnits accepted = new AcceptedUnits();

	@Test
	void aJobAloneInLineGivesItsUnitsAfterTheClaimedOnesInOrderThenIsForgotten() {
		this.accepted.admitted("job", UNITS, 2, true, 5000);

		assertThat(this.accepted.next("job")).isEqualTo(new AcceptedUnits.Next("2", "u2", 5000));
		assertThat(this.accepted.next("job")).isEqualTo(new AcceptedUnits.Next("3", "u3", 5000));
		assertThat(this.accepted.next("job")).isNull();
		assertThat(this.accepted.size()).isZero();
	}

	@Test
	void aJobNotAloneInLineIsNotKept() {
		this.accepted.admitted("job", UNITS, 1, false, 5000);

		assertThat(this.accepted.next("job")).isNull();
	}

	@Test
	void aClaimThatFindsTheJobNoLongerAloneOrACancelForgetsIt() {
		this.accepted.admitted("joined", UNITS, 1, true, 5000);
		this.accepted.admitted("cancelled", UNITS, 1, true, 5000);

		this.accepted.claimed("joined", true);
		assertThat(this.accepted.size()).isEqualTo(2);
		this.accepted.claimed("joined", false);
		this.accepted.forget("cancelled");

		assertThat(this.accepted.next("joined")).isNull();
		assertThat(this.accepted.next("cancelled")).isNull();
	}

	@Test
	void itKeepsTheNewestJobsOnlyAndNoneOfManyUnits() {
		for (int job = 0; job <= AcceptedUnits.MAX_JOBS; job++) {
			this.accepted.admitted("job-" + job, UNITS, 1, true, 5000);
		}
		this.accepted.admitted("large", Collections.nCopies(AcceptedUnits.MAX_UNITS + 1, "u"), 1, true, 5000);

		assertThat(this.accepted.size()).isEqualTo(AcceptedUnits.MAX_JOBS);
		assertThat(this.accepted.next("job-0")).isNull();
		assertThat(this.accepted.next("job-1")).isNotNull();
		assertThat(this.accepted.next("large")).isNull();
	}

}
