package dev.jobpool.warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import dev.jobpool.job.JobProperties;
import dev.jobpool.job.JobRehearsals;
import dev.jobpool.security.SecurityProperties;

/**
 * Warms the service up before it reports ready. On {@code java -jar} the JIT compiler
 * starts from nothing: the first requests run the request path (Tomcat, Spring MVC,
 * Jackson, the job and executor code, the pipes to the worker processes) interpreted,
 * while the compiler threads take the cores the sums need. So the service first sends its
 * own API, over loopback HTTP, rounds of sum jobs on each executor and reads of them,
 * then waits until the JIT compiler has compiled what they made hot, all within
 * {@code jobpool.warmup.max-time}.
 * <p>
 * The jobs are {@link JobRehearsals rehearsals}: a header with a secret made for this
 * warm-up marks its requests, and they leave no job, no metric (the HTTP server's
 * included) and no entry in a shared store behind. It runs as an
 * {@link ApplicationRunner}: Spring Boot reports the service live before the runners and
 * ready only after them, so readiness stays down until the warm-up ends, while liveness
 * is up. A warm-up that fails only logs why: the service starts anyway.
 */
@Component
class WarmUp implements ApplicationRunner {

	/** The header that marks a warm-up request, with the warm-up's secret. */
	static final String HEADER = "Jobpool-Warm-Up";

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	/**
	 * The executors of a round's large sums: the worker pool (asked for by name and by
	 * {@code auto}) and the platform threads, the two that cut sums into chunks.
	 */
	private static final List<String> CHUNKING = List.of("process", "auto", "platform");

	/**
	 * The executors of a round's small sums: their path, not the sum loop, which the
	 * platform threads' sums compile in this JVM already.
	 */
	private static final List<String> OTHERS = List.of("sequential", "virtual");

	private static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(30);

	/** How often the compiler's queue is looked at once the requests are done. */
	private static final Duration SETTLE_POLL = Duration.ofMillis(50);

	private final WarmUpProperties properties;

	private final JobRehearsals rehearsals;

	private final JobProperties jobs;

	private final SecurityProperties security;

	private final ObjectProvider<ServerProperties> server;

	private volatile int port = -1;

	private volatile @Nullable Session session;

	WarmUp(WarmUpProperties properties, JobRehearsals rehearsals, JobProperties jobs, SecurityProperties security,
			ObjectProvider<ServerProperties> server) {
		this.properties = properties;
		this.rehearsals = rehearsals;
		this.jobs = jobs;
		this.security = security;
		this.server = server;
	}

	@EventListener
	void onWebServerStarted(WebServerInitializedEvent event) {
		// The management server, if it has a port of its own, has a namespace.
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.port = event.getWebServer().getPort();
		}
	}

	/**
	 * Return the rehearsal a request belongs to, if it carries the running warm-up's
	 * secret.
	 * @param presented the request's {@link #HEADER}, if any
	 * @return the rehearsal, or {@code null} for any other request
	 */
	JobRehearsals.@Nullable Rehearsal rehearsalFor(@Nullable String presented) {
		Session current = this.session;
		if (current == null || presented == null) {
			return null;
		}
		return MessageDigest.isEqual(current.secret().getBytes(StandardCharsets.US_ASCII),
				presented.getBytes(StandardCharsets.US_ASCII)) ? current.rehearsal() : null;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.properties.enabled()) {
			return;
		}
		URI base = baseUri();
		if (base == null) {
			return;
		}
		long started = System.nanoTime();
		long deadline = started + this.properties.maxTime().toNanos();
		byte[] random = new byte[16];
		new SecureRandom().nextBytes(random);
		String secret = HexFormat.of().formatHex(random);
		Result result;
		try (JobRehearsals.Rehearsal rehearsal = this.rehearsals.open();
				HttpClient client = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(5))
					.build()) {
			this.session = new Session(secret, rehearsal);
			result = rehearse(client, base, secret, deadline);
		}
		finally {
			this.session = null;
		}
		long requestsDone = System.nanoTime();
		boolean settled = awaitIdleCompiler(deadline);
		long ended = System.nanoTime();
		String outcome = (result.stopped() != null) ? "stopped early: " + result.stopped()
				: (result.rounds() < this.properties.rounds()) ? "cut short by jobpool.warmup.max-time"
						: settled ? "compiler idle" : "compiler still busy at jobpool.warmup.max-time";
		logger.info("Warm-up: {} rounds ({} requests) in {} ms, then {} ms for the JIT compiler to finish ({}); ready",
				result.rounds(), result.requests(), TimeUnit.NANOSECONDS.toMillis(requestsDone - started),
				TimeUnit.NANOSECONDS.toMillis(ended - requestsDone), outcome);
	}

	/**
	 * Send the rounds of requests until they are all done, one fails, or the deadline
	 * passes.
	 */
	private Result rehearse(HttpClient client, URI base, String secret, long deadline) {
		List<String> bodies = sumBodies();
		int wait = (int) Math.min(10, this.jobs.maxWait().toSeconds());
		int rounds = 0;
		int requests = 0;
		try {
			while (rounds < this.properties.rounds() && System.nanoTime() < deadline) {
				String jobId = null;
				for (String body : bodies) {
					HttpResponse<Void> answer = send(client,
							request(base, "api/jobs/sum?wait=" + wait, secret, deadline)
								.header(HttpHeaders.CONTENT_TYPE, "application/json")
								.POST(HttpRequest.BodyPublishers.ofString(body)));
					requests++;
					if (jobId == null) {
						jobId = answer.headers()
							.firstValue(HttpHeaders.LOCATION)
							.map((location) -> location.substring(location.lastIndexOf('/') + 1))
							.orElse(null);
					}
				}
				if (jobId != null) {
					send(client, request(base, "api/jobs/" + jobId, secret, deadline).GET());
					requests++;
				}
				send(client, request(base, "api/jobs?limit=10", secret, deadline).GET());
				requests++;
				rounds++;
			}
			return new Result(rounds, requests, null);
		}
		catch (IOException ex) {
			logger.warn("Warm-up stopped after {} requests: {}", requests, ex.getMessage());
			return new Result(rounds, requests, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(rounds, requests, "interrupted");
		}
	}

	/**
	 * The bodies of a round's sum jobs: three sums on each executor, on those that cut
	 * sums into chunks each twice the smallest chunk, so that they are cut as a client's
	 * large sums are; all within the job limits.
	 */
	private List<String> sumBodies() {
		long large = Math.min(Math.min(2 * this.jobs.sumChunkMinSize(), 20_000_000L), this.jobs.maxN());
		long small = Math.min(1_000L, this.jobs.maxN());
		List<String> bodies = new ArrayList<>();
		CHUNKING.forEach((executor) -> bodies.add(sumBody(large, executor)));
		OTHERS.forEach((executor) -> bodies.add(sumBody(small, executor)));
		return bodies;
	}

	private String sumBody(long n, String executor) {
		int count = Math.min(3, this.jobs.maxNumbersPerJob());
		String numbers = String.join(",", Collections.nCopies(count, Long.toString(n)));
		return "{\"numbers\":[" + numbers + "],\"executor\":\"" + executor + "\"}";
	}

	private HttpRequest.Builder request(URI base, String path, String secret, long deadline) {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
			.timeout(remaining(deadline))
			.header(HEADER, secret);
		if (this.security.enabled()) {
			request.header("X-API-Key", this.security.apiKey());
		}
		return request;
	}

	private static HttpResponse<Void> send(HttpClient client, HttpRequest.Builder request)
			throws IOException, InterruptedException {
		HttpRequest built = request.build();
		HttpResponse<Void> answer = client.send(built, HttpResponse.BodyHandlers.discarding());
		if (answer.statusCode() >= 300) {
			throw new WarmUpFailed(
					built.method() + " " + built.uri().getRawPath() + " answered " + answer.statusCode());
		}
		return answer;
	}

	private static Duration remaining(long deadline) {
		long left = deadline - System.nanoTime();
		return Duration.ofNanos(Math.clamp(left, Duration.ofMillis(1).toNanos(), MAX_REQUEST_TIME.toNanos()));
	}

	/**
	 * Wait until the JIT compiler has compiled what the requests made hot (nothing under
	 * way, nothing queued, twice in a row), so that its threads do not take the cores
	 * from the first clients' tasks.
	 * @return whether it got there before the deadline, or could not be asked
	 */
	private static boolean awaitIdleCompiler(long deadline) {
		Optional<CompilerQueue> queue = CompilerQueue.of();
		if (queue.isEmpty()) {
			return true;
		}
		int idle = 0;
		while (System.nanoTime() + SETTLE_POLL.toNanos() < deadline) {
			Optional<Boolean> now = queue.get().idle();
			if (now.isEmpty()) {
				return true;
			}
			idle = now.get() ? idle + 1 : 0;
			if (idle >= 2) {
				return true;
			}
			try {
				Thread.sleep(SETTLE_POLL);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	/**
	 * Return the address of the service's own HTTP server on this host, or {@code null}
	 * if there is none to warm up over (no server, or one that speaks only TLS).
	 */
	private @Nullable URI baseUri() {
		int serverPort = this.port;
		if (serverPort <= 0) {
			logger.info("No warm-up: the service has no HTTP server of its own");
			return null;
		}
		ServerProperties serverProperties = this.server.getIfAvailable();
		if (serverProperties != null && Ssl.isEnabled(serverProperties.getSsl())) {
			logger.info("No warm-up: the server speaks TLS only");
			return null;
		}
		InetAddress address = (serverProperties != null) ? serverProperties.getAddress() : null;
		InetAddress host = (address == null || address.isAnyLocalAddress()) ? InetAddress.getLoopbackAddress()
				: address;
		String contextPath = (serverProperties != null) ? serverProperties.getServlet().getContextPath() : null;
		try {
			return new URI("http", null, host.getHostAddress(), serverPort,
					((contextPath != null) ? contextPath : "") + "/", null, null);
		}
		catch (URISyntaxException ex) {
			logger.warn("No warm-up: {}", ex.getMessage());
			return null;
		}
	}

	/** The warm-up under way: its secret and the rehearsal its jobs belong to. */
	private record Session(String secret, JobRehearsals.Rehearsal rehearsal) {
	}

	/**
	 * What the requests came to.
	 *
	 * @param rounds rounds done
	 * @param requests requests sent
	 * @param stopped why they stopped early, if they did
	 */
	private record Result(int rounds, int requests, @Nullable String stopped) {
	}

	/** A warm-up request that was not answered as a client's would be. */
	private static final class WarmUpFailed extends IOException {

		WarmUpFailed(String message) {
			super(message);
		}

	}

}
