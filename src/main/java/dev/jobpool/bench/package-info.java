/**
 * Benchmarks as a feature: the same job run on several executors in turn, one run at a
 * time, with the wall time of each run, medians, speedups against {@code sequential} and
 * an SVG chart.
 */
@NullMarked
package dev.jobpool.bench;

import org.jspecify.annotations.NullMarked;
