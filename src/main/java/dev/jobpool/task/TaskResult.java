package dev.jobpool.task;

import java.math.BigInteger;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a task that succeeded produced: a sum or a fetch's result.
 */
public sealed interface TaskResult permits TaskResult.Sum, FetchResult {

	/**
	 * A sum, or a chunk's part of one, written to JSON as the number itself.
	 *
	 * @param value the sum
	 */
	record Sum(@JsonValue BigInteger value) implements TaskResult {
	}

}
