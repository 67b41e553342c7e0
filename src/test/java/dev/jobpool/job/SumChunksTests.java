package dev.jobpool.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jobpool.task.TaskWork;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a sum job is cut into the units workers take.
 */
class SumChunksTests {

	private static final long MIN = 1_000_000;

	@Test
	void threeSumsOnTwoWorkersBecomeOneShareEachInTwoRoundTrips() {
		List<WorkUnit> units = SumChunks.shares(List.of(10_000_000L, 10_000_000L, 10_000_000L), 2, MIN);

		assertThat(units).containsExactly(new WorkUnit(0, new TaskWork.Sum(10_000_000)),
				new WorkUnit(2, new TaskWork.Sum(10_000_000)), new WorkUnit(1, new TaskWork.SumRange(0, 5_000_000)),
				new WorkUnit(1, new TaskWork.SumRange(5_000_000, 10_000_000)));
	}

	@Test
	void aCutOnATaskBoundaryCutsNothing() {
		assertThat(SumChunks.shares(List.of(10_000_000L, 10_000_000L), 2, MIN)).containsExactly(
				new WorkUnit(0, new TaskWork.Sum(10_000_000)), new WorkUnit(1, new TaskWork.Sum(10_000_000)));
		assertThat(SumChunks.shares(List.of(7L, 7L, 7L, 7L), 2, MIN)).extracting(WorkUnit::task)
			.containsExactly(0, 1, 2, 3);
	}

	@Test
	void oneLargeSumIsCutIntoOneRangePerWorker() {
		assertThat(SumChunks.shares(List.of(9_000_000L), 3, MIN)).containsExactly(
				new WorkUnit(0, new TaskWork.SumRange(0, 3_000_000)),
				new WorkUnit(0, new TaskWork.SumRange(3_000_000, 6_000_000)),
				new WorkUnit(0, new TaskWork.SumRange(6_000_000, 9_000_000)));
	}

	@Test
	void smallSumsAreNeverCutAndKeepTheJobsOrder() {
		assertThat(SumChunks.shares(List.of(3L, 1_500_000L, 1L), 2, MIN)).containsExactly(
				new WorkUnit(0, new TaskWork.Sum(3)), new WorkUnit(1, new TaskWork.Sum(1_500_000)),
				new WorkUnit(2, new TaskWork.Sum(1)));
		assertThat(SumChunks.shares(List.of(10_000_000L), 1, MIN))
			.containsExactly(new WorkUnit(0, new TaskWork.Sum(10_000_000)));
	}

	@Test
	void aJobOfMoreThan2To63NumbersIsCutTaskByTask() {
		List<Long> numbers = Collections.nCopies(16, 1L << 60);

		List<WorkUnit> units = SumChunks.shares(numbers, 2, MIN);

		assertThat(units).hasSize(32)
			.startsWith(new WorkUnit(0, new TaskWork.SumRange(0, 1L << 59)),
					new WorkUnit(0, new TaskWork.SumRange(1L << 59, 1L << 60)));
	}

	@Test
	void perTaskCutsEveryLargeTaskIntoTheSameNumberOfChunks() {
		assertThat(SumChunks.perTask(List.of(9_000_000L, 5L), 3, MIN)).containsExactly(
				new WorkUnit(0, new TaskWork.SumRange(0, 3_000_000)),
				new WorkUnit(0, new TaskWork.SumRange(3_000_000, 6_000_000)),
				new WorkUnit(0, new TaskWork.SumRange(6_000_000, 9_000_000)), new WorkUnit(1, new TaskWork.Sum(5)));
	}

	@Test
	void anyJobIsCoveredExactlyWithNoChunkUnderTheMinimumAndAtMostOneCutPerWorker() {
		Random random = new Random(20261130);
		for (int round = 0; round < 2_000; round++) {
			int workers = 1 + random.nextInt(8);
			List<Long> numbers = new ArrayList<>();
			for (int i = 0, count = 1 + random.nextInt(12); i < count; i++) {
				numbers.add(switch (random.nextInt(3)) {
					case 0 -> (long) random.nextInt(3_000_000);
					case 1 -> (long) random.nextInt(100);
					default -> 1L + random.nextLong(1L << 40);
				});
			}

			List<WorkUnit> units = SumChunks.shares(numbers, workers, MIN);

			assertThat(units.size()).as("%s on %d workers", numbers, workers)
				.isLessThanOrEqualTo(numbers.size() + workers - 1);
			Map<Integer, List<TaskWork>> byTask = new HashMap<>();
			units.forEach((unit) -> byTask.computeIfAbsent(unit.task(), (task) -> new ArrayList<>()).add(unit.work()));
			for (int task = 0; task < numbers.size(); task++) {
				List<TaskWork> pieces = byTask.get(task);
				long n = numbers.get(task);
				if (pieces.size() == 1) {
					assertThat(pieces).containsExactly(new TaskWork.Sum(n));
					continue;
				}
				// Largest first: a task's ranges may go out in any order.
				List<TaskWork.SumRange> ranges = pieces.stream()
					.map(TaskWork.SumRange.class::cast)
					.sorted(Comparator.comparingLong(TaskWork.SumRange::from))
					.toList();
				long next = 0;
				for (TaskWork.SumRange range : ranges) {
					assertThat(range.from()).isEqualTo(next);
					assertThat(range.to() - range.from()).isGreaterThanOrEqualTo(MIN);
					next = range.to();
				}
				assertThat(next).isEqualTo(n);
			}
		}
	}

}
