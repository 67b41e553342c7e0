package dev.jobpool.task;

import java.net.URI;

import dev.jobpool.task.TaskWork;

/**
 * What one task does, as plain data, so that any executor (a thread here or a process
 * elsewhere) can run it.
 */
public sealed interface TaskWork {

	/**
	 * Add up {@code 0 … n-1} by iterating.
	 *
	 * @param n how many numbers
	 */
	record Sum(long n) implements TaskWork {
	}

	/**
	 * Add up {@code from … to-1} by iterating: one chunk of a larger sum.
	 *
	 * @param from the first number
	 * @param to one past the last number
	 */
	record SumRange(long from, long to) implements TaskWork {
	}

	/**
	 * GET a URL and read its body to the end.
	 *
	 * @param url the URL
	 */
	record Fetch(URI url) implements TaskWork {
	}

}
