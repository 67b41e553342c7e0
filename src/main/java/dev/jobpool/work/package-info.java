/**
 * The one runner of a task's work, over the features that do it ({@code sum},
 * {@code fetch}): used by the executors that run tasks on the service's own threads and
 * by each worker process alike.
 */
@NullMarked
package dev.jobpool.work;

import org.jspecify.annotations.NullMarked;
