/**
 * The vocabulary of one task, shared by the features that do the work ({@code sum},
 * {@code fetch}) and the executors that run it: what it does, how it ended, its deadline
 * and abort switch, and its failure codes.
 */
@NullMarked
package dev.jobpool.task;

import org.jspecify.annotations.NullMarked;
