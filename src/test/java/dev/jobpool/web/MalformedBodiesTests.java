package dev.jobpool.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MalformedBodiesTests {

	@Test
	void theSameSeedGivesTheSameBodies() {
		assertThat(new MalformedBodies(42).bodies(200)).isEqualTo(new MalformedBodies(42).bodies(200));
	}

	@Test
	void anotherSeedGivesOtherBodies() {
		assertThat(new MalformedBodies(42).bodies(200)).isNotEqualTo(new MalformedBodies(43).bodies(200));
	}

	@Test
	void theSeedCanBeSet() {
		String before = System.getProperty(MalformedBodies.SEED_PROPERTY);
		System.setProperty(MalformedBodies.SEED_PROPERTY, "1234");
		try {
			assertThat(MalformedBodies.seed()).isEqualTo(1234);
		}
		finally {
			if (before == null) {
				System.clearProperty(MalformedBodies.SEED_PROPERTY);
			}
			else {
				System.setProperty(MalformedBodies.SEED_PROPERTY, before);
			}
		}
	}

}
