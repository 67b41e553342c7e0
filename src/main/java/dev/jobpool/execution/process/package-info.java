/**
 * Executors whose tasks run in separate worker processes: a pool of long-lived workers
 * ({@code process}, like {@code multiprocessing.Pool}) and a fresh process per task
 * ({@code spawn}, like {@code multiprocessing.Process}).
 */
@NullMarked
package dev.jobpool.execution.process;

import org.jspecify.annotations.NullMarked;
