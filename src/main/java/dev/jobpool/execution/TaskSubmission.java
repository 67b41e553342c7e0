package dev.jobpool.execution;

/**
 * One task handed to an executor.
 *
 * @param work what to do
 * @param control its deadline (started by the executor when the task starts) and abort switch
 * @param listener told when it starts and ends
 */
public record TaskSubmission(TaskWork work, TaskControl control, TaskListener listener) {
}
