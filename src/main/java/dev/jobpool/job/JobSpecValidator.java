package dev.jobpool.job;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.jobpool.execution.ExecutorRouter;
import dev.jobpool.execution.Workload;
import dev.jobpool.web.FieldViolation;
import dev.jobpool.web.InvalidRequestException;

/**
 * Checks what a client asks a job to be against the configured limits and turns it into a
 * {@link JobSpec}, naming every field that breaks a rule. The jobs API and the benchmarks
 * API both build their jobs here, so that they accept exactly the same jobs.
 */
@Component
public class JobSpecValidator {

	static final int MAX_CONCURRENCY = 1_000_000;

	private static final int MAX_PORT = 65535;

	private static final Pattern TRAILING_PORT = Pattern.compile(":([0-9]+)$");

	private final JobProperties limits;

	private final ExecutorRouter router;

	JobSpecValidator(JobProperties limits, ExecutorRouter router) {
		this.limits = limits;
		this.router = router;
	}

	/**
	 * Check a sum job.
	 * @param prefix the path of the job in an enclosing request, for example {@code job}
	 * for a benchmark's job (fields are then named {@code job.numbers[2]}), or empty for
	 * a job request of its own
	 * @param numbers the n of each task
	 * @param executor the executor asked for, or {@code null} for {@code auto}
	 * @param concurrency most of the job's tasks that run at once, if given
	 * @param timeoutMs each task's deadline in milliseconds, if given
	 * @param callback the request's {@code callback}, if given
	 * @return the job
	 * @throws InvalidRequestException naming every field that breaks a rule
	 */
	public JobSpec.Sum sum(String prefix, @Nullable List<@Nullable Long> numbers, @Nullable String executor,
			@Nullable Integer concurrency, @Nullable Long timeoutMs, @Nullable Callback callback) {
		List<FieldViolation> violations = new ArrayList<>();
		List<Long> valid = new ArrayList<>();
		if (checkList("numbers", numbers, this.limits.maxNumbersPerJob(), violations)) {
			for (int i = 0; i < numbers.size(); i++) {
				Long n = numbers.get(i);
				String field = "numbers[" + i + "]";
				if (n == null) {
					violations.add(new FieldViolation(field, "must be a number, not null"));
				}
				else if (n < 0) {
					violations.add(new FieldViolation(field, "must not be negative, was " + n));
				}
				else if (n > this.limits.maxN()) {
					violations.add(new FieldViolation(field, "must be at most " + this.limits.maxN() + ", was " + n));
				}
				else {
					valid.add(n);
				}
			}
		}
		JobSpec.JobOptions options = options(Workload.CPU_BOUND, executor, concurrency, timeoutMs, callback,
				violations);
		throwIfAny(prefix, violations);
		return new JobSpec.Sum(valid, options);
	}

	/**
	 * Check a fetch job.
	 * @param prefix the path of the job in an enclosing request, for example {@code job}
	 * for a benchmark's job (fields are then named {@code job.urls[2]}), or empty for a
	 * job request of its own
	 * @param urls the URL of each task
	 * @param executor the executor asked for, or {@code null} for {@code auto}
	 * @param concurrency most of the job's tasks that run at once, if given
	 * @param timeoutMs each task's deadline in milliseconds, if given
	 * @param callback the request's {@code callback}, if given
	 * @return the job
	 * @throws InvalidRequestException naming every field that breaks a rule
	 */
	public JobSpec.Fetch fetch(String prefix, @Nullable List<@Nullable String> urls, @Nullable String executor,
			@Nullable Integer concurrency, @Nullable Long timeoutMs, @Nullable Callback callback) {
		List<FieldViolation> violations = new ArrayList<>();
		List<URI> valid = new ArrayList<>();
		if (checkList("urls", urls, this.limits.maxUrlsPerJob(), violations)) {
			for (int i = 0; i < urls.size(); i++) {
				String field = "urls[" + i + "]";
				String problem = urlProblem(urls.get(i));
				if (problem != null) {
					violations.add(new FieldViolation(field, problem));
				}
				else {
					valid.add(URI.create(urls.get(i)));
				}
			}
		}
		JobSpec.JobOptions options = options(Workload.IO_BOUND, executor, concurrency, timeoutMs, callback, violations);
		throwIfAny(prefix, violations);
		return new JobSpec.Fetch(valid, options);
	}

	/**
	 * Check a {@code ?wait} parameter.
	 * @param seconds the parameter, if given
	 * @return how long to wait, or {@code null} not to wait
	 */
	public @Nullable Duration waitFor(@Nullable Integer seconds) {
		if (seconds == null) {
			return null;
		}
		long max = this.limits.maxWait().toSeconds();
		if (seconds < 0 || seconds > max) {
			throw new InvalidRequestException("wait", "must be between 0 and " + max + " seconds, was " + seconds);
		}
		return Duration.ofSeconds(seconds);
	}

	private static boolean checkList(String field, @Nullable List<?> list, int max, List<FieldViolation> violations) {
		if (list == null) {
			violations.add(new FieldViolation(field, "is required"));
			return false;
		}
		if (list.isEmpty()) {
			violations.add(new FieldViolation(field, "must not be empty"));
			return false;
		}
		if (list.size() > max) {
			violations.add(new FieldViolation(field, "must have at most " + max + " items, had " + list.size()));
			return false;
		}
		return true;
	}

	private @Nullable String urlProblem(@Nullable String url) {
		if (url == null) {
			return "must be a URL, not null";
		}
		if (url.length() > this.limits.maxUrlLength()) {
			return "must be at most " + this.limits.maxUrlLength() + " characters long, was " + url.length();
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return "is not a valid URL: " + ex.getReason();
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			return "must be an http or https URL, was " + ((scheme != null) ? "scheme '" + scheme + "'" : "relative");
		}
		// Checked before the host: an authority java.net.URI cannot read as host and port
		// keeps its user info to itself. The user info itself is never repeated.
		String authority = uri.getRawAuthority();
		if (uri.getRawUserInfo() != null || (authority != null && authority.indexOf('@') >= 0)) {
			return "must not contain credentials (user:password@)";
		}
		String port = portOutOfRange(uri);
		if (port != null) {
			return "must have a port between 1 and " + MAX_PORT + ", was " + port;
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			return "must name a host";
		}
		return null;
	}

	/**
	 * Return the port of a URL if it is out of range, else {@code null}. A port too large
	 * for an {@code int} makes java.net.URI read the authority as no host and port at
	 * all, so the port is read from the raw authority too.
	 */
	private static @Nullable String portOutOfRange(URI uri) {
		if (uri.getHost() != null) {
			int port = uri.getPort();
			return (port == 0 || port > MAX_PORT) ? String.valueOf(port) : null;
		}
		String authority = uri.getRawAuthority();
		if (authority == null) {
			return null;
		}
		Matcher port = TRAILING_PORT.matcher(authority);
		return (port.find() && (port.group(1).length() > 5 || Integer.parseInt(port.group(1)) > MAX_PORT))
				? port.group(1) : null;
	}

	private JobSpec.JobOptions options(Workload workload, @Nullable String executor, @Nullable Integer concurrency,
			@Nullable Long timeoutMs, @Nullable Callback callback, List<FieldViolation> violations) {
		URI callbackUrl = null;
		if (callback != null) {
			String problem = urlProblem(callback.url());
			if (problem != null) {
				violations.add(new FieldViolation("callback.url", problem));
			}
			else {
				callbackUrl = URI.create(String.valueOf(callback.url()));
			}
		}
		String requested = (executor != null) ? executor : ExecutorRouter.AUTO;
		if (this.router.route(workload, requested).isEmpty()) {
			violations.add(new FieldViolation("executor",
					"must be one of " + ExecutorRouter.allowedNames() + ", was '" + requested + "'"));
		}
		if (concurrency != null && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
			violations.add(new FieldViolation("concurrency",
					"must be between 1 and " + MAX_CONCURRENCY + ", was " + concurrency));
		}
		Duration timeout = this.limits.defaultTimeout();
		if (timeoutMs != null) {
			long min = this.limits.minTimeout().toMillis();
			long max = this.limits.maxTimeout().toMillis();
			if (timeoutMs < min || timeoutMs > max) {
				violations.add(new FieldViolation("timeoutMs",
						"must be between " + min + " and " + max + " milliseconds, was " + timeoutMs));
			}
			else {
				timeout = Duration.ofMillis(timeoutMs);
			}
		}
		return new JobSpec.JobOptions(requested, concurrency, timeout, callbackUrl);
	}

	private static void throwIfAny(String prefix, List<FieldViolation> violations) {
		if (!violations.isEmpty()) {
			throw new InvalidRequestException(prefix.isEmpty() ? violations
					: violations.stream()
						.map((violation) -> new FieldViolation(prefix + "." + violation.field(), violation.message()))
						.toList());
		}
	}

	/**
	 * A request's {@code callback}: where to POST the job once it has ended.
	 *
	 * @param url an http or https URL
	 */
	public record Callback(@Nullable String url) {
	}

}
