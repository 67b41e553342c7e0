package dev.jobpool.warmup;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompilerQueue}: reading what {@code Compiler.queue} prints.
 */
class CompilerQueueTests {

	@Test
	void isIdleWithNothingUnderWayAndBothQueuesEmpty() {
		assertThat(CompilerQueue.idle("""
				Current compiles:\s

				C1 compile queue:
				Empty

				C2 compile queue:
				Empty
				""")).isTrue();
	}

	@Test
	void isBusyWithACompilationUnderWay() {
		assertThat(CompilerQueue
			.idle("""
					Current compiles:\s
					C2 CompilerThread0  5612       4       org.springframework.core.annotation.TypeMappedAnnotations::get (52 bytes)

					C1 compile queue:
					Empty

					C2 compile queue:
					Empty
					"""))
			.isFalse();
	}

	@Test
	void isBusyWithACompilationQueued() {
		assertThat(CompilerQueue.idle("""
				Current compiles:\s

				C1 compile queue:
				6528       2       tools.jackson.databind.util.ClassUtil::nonNullString (10 bytes)

				C2 compile queue:
				Empty
				""")).isFalse();
	}

	@Test
	void readsThisJvmsQueue() {
		assertThat(CompilerQueue.of()).hasValueSatisfying((queue) -> assertThat(queue.idle()).isPresent());
	}

}
