package dev.jobpool.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Keeps benchmarks in memory, oldest first; past {@code jobpool.benchmarks.max-kept} the
 * oldest finished ones go. Unfinished ones always stay (there are at most
 * {@code max-queued} + 1).
 */
final class BenchmarkStore {

	private final LinkedHashMap<String, Benchmark> benchmarks = new LinkedHashMap<>();

	private final int maxKept;

	BenchmarkStore(int maxKept) {
		this.maxKept = maxKept;
	}

	synchronized void add(Benchmark benchmark) {
		this.benchmarks.put(benchmark.id(), benchmark);
		int excess = this.benchmarks.size() - this.maxKept;
		Iterator<Benchmark> it = this.benchmarks.values().iterator();
		while (excess > 0 && it.hasNext()) {
			if (it.next().status().isFinished()) {
				it.remove();
				excess--;
			}
		}
	}

	synchronized Optional<Benchmark> find(String id) {
		return Optional.ofNullable(this.benchmarks.get(id));
	}

	synchronized List<Benchmark> newestFirst(int limit) {
		List<Benchmark> all = new ArrayList<>(this.benchmarks.values());
		List<Benchmark> newest = new ArrayList<>();
		for (int i = all.size() - 1; i >= 0 && newest.size() < limit; i--) {
			newest.add(all.get(i));
		}
		return newest;
	}

	synchronized List<Benchmark> unfinished() {
		return this.benchmarks.values().stream().filter((benchmark) -> !benchmark.status().isFinished()).toList();
	}

}
