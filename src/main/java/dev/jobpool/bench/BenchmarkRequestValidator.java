package dev.jobpool.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.job.JobSpec;
import dev.jobpool.job.JobSpecValidator;
import dev.jobpool.job.JobType;
import dev.jobpool.web.FieldViolation;
import dev.jobpool.web.InvalidRequestException;

/**
 * Checks benchmark requests and turns them into {@link BenchmarkPlan}s, naming every
 * field that breaks a rule. The job is checked by the job feature's
 * {@link JobSpecValidator}, as a job request is, so that a benchmark accepts exactly the
 * jobs {@code POST /api/jobs/{type}} accepts.
 */
@Component
class BenchmarkRequestValidator {

	private static final String JOB = "job";

	private static final String EXECUTOR_NAMES = Arrays.stream(ExecutorKind.values())
		.map(ExecutorKind::id)
		.collect(Collectors.joining(", "));

	private final JobSpecValidator jobs;

	private final BenchmarkProperties properties;

	BenchmarkRequestValidator(JobSpecValidator jobs, BenchmarkProperties properties) {
		this.jobs = jobs;
		this.properties = properties;
	}

	BenchmarkPlan plan(BenchmarkRequest request) {
		List<FieldViolation> violations = new ArrayList<>();
		JobSpec job = job(request.job(), violations);
		List<ExecutorKind> executors = executors(request.executors(), violations);
		int repeat = range("repeat", request.repeat(), this.properties.defaultRepeat(), 1, this.properties.maxRepeat(),
				violations);
		int warmup = range("warmup", request.warmup(), this.properties.defaultWarmup(), 0, this.properties.maxWarmup(),
				violations);
		if (!violations.isEmpty() || job == null) {
			throw new InvalidRequestException(violations);
		}
		return new BenchmarkPlan(job, executors, repeat, warmup);
	}

	private @Nullable JobSpec job(BenchmarkRequest.@Nullable Job job, List<FieldViolation> violations) {
		if (job == null) {
			violations.add(new FieldViolation(JOB, "is required"));
			return null;
		}
		if (job.type() == null) {
			violations.add(new FieldViolation(JOB + ".type", "is required: sum or fetch"));
			return null;
		}
		Optional<JobType> type = JobType.fromId(job.type());
		if (type.isEmpty()) {
			violations.add(new FieldViolation(JOB + ".type", "must be sum or fetch, was '" + job.type() + "'"));
			return null;
		}
		try {
			return switch (type.get()) {
				case SUM -> {
					if (job.urls() != null) {
						violations
							.add(new FieldViolation(JOB + ".urls", "is for fetch jobs only; a sum job takes numbers"));
					}
					yield this.jobs.sum(JOB, job.numbers(), ExecutorRouter.AUTO, job.concurrency(), job.timeoutMs(),
							null);
				}
				case FETCH -> {
					if (job.numbers() != null) {
						violations
							.add(new FieldViolation(JOB + ".numbers", "is for sum jobs only; a fetch job takes urls"));
					}
					yield this.jobs.fetch(JOB, job.urls(), ExecutorRouter.AUTO, job.concurrency(), job.timeoutMs(),
							null);
				}
			};
		}
		catch (InvalidRequestException ex) {
			violations.addAll(ex.violations());
			return null;
		}
	}

	private static List<ExecutorKind> executors(@Nullable List<@Nullable String> names,
			List<FieldViolation> violations) {
		if (names == null) {
			return List.of(ExecutorKind.values());
		}
		if (names.isEmpty()) {
			violations
				.add(new FieldViolation("executors", "must not be empty: name at least one of " + EXECUTOR_NAMES));
			return List.of();
		}
		List<ExecutorKind> executors = new ArrayList<>();
		Map<ExecutorKind, Integer> firstIndex = new HashMap<>();
		for (int i = 0; i < names.size(); i++) {
			String field = "executors[" + i + "]";
			String name = names.get(i);
			if (name == null) {
				violations.add(new FieldViolation(field, "must be an executor's name, not null"));
				continue;
			}
			if (ExecutorRouter.AUTO.equals(name)) {
				violations
					.add(new FieldViolation(field, "must be an executor, not auto (auto routes sum jobs to process "
							+ "and fetch jobs to virtual: name that executor instead)"));
				continue;
			}
			Optional<ExecutorKind> kind = ExecutorKind.fromId(name);
			if (kind.isEmpty()) {
				violations.add(new FieldViolation(field, "must be one of " + EXECUTOR_NAMES + ", was '" + name + "'"));
				continue;
			}
			Integer first = firstIndex.putIfAbsent(kind.get(), i);
			if (first != null) {
				violations.add(new FieldViolation(field, "names " + name + " a second time (first at executors[" + first
						+ "]); each executor runs once"));
				continue;
			}
			executors.add(kind.get());
		}
		return executors;
	}

	private static int range(String field, @Nullable Integer value, int defaultValue, int min, int max,
			List<FieldViolation> violations) {
		if (value == null) {
			return defaultValue;
		}
		if (value < min || value > max) {
			violations.add(new FieldViolation(field, "must be between " + min + " and " + max + ", was " + value));
		}
		return value;
	}

}
