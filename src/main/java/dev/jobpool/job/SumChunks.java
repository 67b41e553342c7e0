package dev.jobpool.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.jobpool.task.TaskWork;

/**
 * Cuts the sums of one job into the units a pool of workers takes, as Python's
 * {@code chunksize} does for {@code Pool.map}. The job's work, all its numbers end to
 * end, is cut into one equal share per worker; a cut that falls inside a task splits that
 * task into ranges, and a cut that would leave a range under the minimum size is dropped.
 * Units go out largest first, so that idle workers take what is left in pieces that even
 * out.
 * <p>
 * Three sums of 10,000,000 on two workers become 10M, 10M, 5M and 5M: each worker adds
 * 15,000,000 numbers in two round trips. One chunk per task per worker would take three
 * round trips a worker; no chunks, one worker adding two sums while the other adds one.
 */
final class SumChunks {

	private static final Comparator<WorkUnit> LARGEST_FIRST = Comparator
		.comparingLong((WorkUnit unit) -> size(unit.work()))
		.reversed();

	private SumChunks() {
	}

	/**
	 * Cut a job's sums into one equal share per worker.
	 * @param numbers each task's n
	 * @param workers the workers of the pool
	 * @param minChunk the smallest range a task may be cut into
	 * @return the units, in the order to hand them out
	 */
	static List<WorkUnit> shares(List<Long> numbers, int workers, long minChunk) {
		long total = 0;
		for (long n : numbers) {
			total += n;
			if (total < 0) {
				// Past 2^63 numbers in all (more numbers than the default request size
				// admits).
				return perTask(numbers, workers, minChunk);
			}
		}
		List<WorkUnit> units = new ArrayList<>();
		long start = 0;
		int nextCut = 1;
		for (int task = 0; task < numbers.size(); task++) {
			long n = numbers.get(task);
			long from = 0;
			for (; nextCut < workers; nextCut++) {
				long cut = cutPoint(total, nextCut, workers) - start;
				if (cut >= n) {
					break;
				}
				if (cut - from >= minChunk && n - cut >= minChunk) {
					units.add(new WorkUnit(task, new TaskWork.SumRange(from, cut)));
					from = cut;
				}
			}
			units.add(new WorkUnit(task, (from == 0) ? new TaskWork.Sum(n) : new TaskWork.SumRange(from, n)));
			start += n;
		}
		if (units.size() == numbers.size()) {
			// Nothing was cut: each task is one unit, handed out in the job's order.
			return units;
		}
		units.sort(LARGEST_FIRST);
		return units;
	}

	/** Return {@code total * j / workers} without overflowing. */
	private static long cutPoint(long total, int j, int workers) {
		return total / workers * j + total % workers * j / workers;
	}

	/**
	 * Cut each task of at least twice the minimum size into the same number of chunks.
	 * @param numbers each task's n
	 * @param chunksPerTask how many chunks a large task becomes
	 * @param minChunk the smallest chunk
	 * @return the units, task by task
	 */
	static List<WorkUnit> perTask(List<Long> numbers, int chunksPerTask, long minChunk) {
		List<WorkUnit> units = new ArrayList<>();
		for (int task = 0; task < numbers.size(); task++) {
			long n = numbers.get(task);
			long chunks = Math.min(chunksPerTask, n / minChunk);
			if (chunks < 2) {
				units.add(new WorkUnit(task, new TaskWork.Sum(n)));
				continue;
			}
			for (long i = 0; i < chunks; i++) {
				units.add(new WorkUnit(task, new TaskWork.SumRange(n * i / chunks, n * (i + 1) / chunks)));
			}
		}
		return units;
	}

	private static long size(TaskWork work) {
		return switch (work) {
			case TaskWork.Sum(long n) -> n;
			case TaskWork.SumRange(long from, long to) -> to - from;
			case TaskWork.Fetch fetch -> 1;
		};
	}

}
