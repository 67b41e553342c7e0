package dev.jobpool.execution;

import org.jspecify.annotations.Nullable;

/**
 * One worker process of an executor, as {@code GET /api/executors} shows it.
 *
 * @param slot the worker's place in the pool
 * @param pid its process id, while it has a process
 * @param state {@code starting}, {@code idle}, {@code busy} or {@code stopped}
 * @param tasksDone tasks the current process has run
 * @param uptimeMs how long the current process has run
 * @param restarts how often this slot's process was replaced
 */
public record WorkerStatus(int slot, @Nullable Long pid, String state, long tasksDone, long uptimeMs, int restarts) {
}
