package dev.jobpool.job;

import dev.jobpool.task.TaskWork;

/**
 * One piece of work a job hands to its executor: a whole task, or one range of a large
 * sum.
 *
 * @param task the index of the task it belongs to
 * @param work what to do
 */
public record WorkUnit(int task, TaskWork work) {
}
