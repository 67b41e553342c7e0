package dev.jobpool.execution;

/**
 * Where a job runs and why.
 *
 * @param executor the executor that runs the job
 * @param requested what the request asked for: an executor's name or {@code "auto"}
 * @param reason why this executor, in words
 */
public record Routing(ExecutorKind executor, String requested, String reason) {
}
