package dev.jobpool.job.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Every command the service sends to Redis, in one place: the Lua scripts for the atomic
 * steps and the plain reads. A failure to reach Redis surfaces as
 * {@link StoreUnavailableException}, never as a bare driver exception.
 */
final class RedisStore {

	private final StringRedisTemplate redis;

	private final RedisConnectionFactory connections;

	private final Duration commandTimeout;

	private final String prefix;

	private final Duration retryAfter;

	private final DefaultRedisScript<List> admit = script("admit", List.class);

	private final RedisScript<List> claim = script("claim", List.class);

	private final DefaultRedisScript<List> report = script("report", List.class);

	/**
	 * The scripts sent without Spring's fall-back to EVAL that Redis may not know: each
	 * at first, and any Redis said it lost (it restarted). Loaded before their next use.
	 */
	private final Set<String> lostScripts = ConcurrentHashMap.newKeySet();

	private final RedisScript<String> cancel = script("cancel", String.class);

	private final RedisScript<List> reclaim = script("reclaim", List.class);

	private final RedisScript<Long> heartbeat = script("heartbeat", Long.class);

	private final RedisScript<Long> leave = script("leave", Long.class);

	private final RedisScript<List> claimCallbacks = script("callbacks_claim", List.class);

	private final RedisScript<Long> callbackAttempt = script("callback_attempt", Long.class);

	private final RedisScript<Long> releaseCallbacks = script("callbacks_release", Long.class);

	private final DefaultRedisScript<List> read = script("read", List.class);

	RedisStore(StringRedisTemplate redis, String prefix, Duration retryAfter, Duration commandTimeout) {
		this.redis = redis;
		this.connections = redis.getRequiredConnectionFactory();
		this.commandTimeout = commandTimeout;
		this.prefix = prefix;
		this.retryAfter = retryAfter;
		this.lostScripts.add(this.admit.getSha1());
		this.lostScripts.add(this.report.getSha1());
	}

	private static <T> DefaultRedisScript<T> script(String name, Class<T> type) {
		return new DefaultRedisScript<>(read("common") + "\n" + read(name), type);
	}

	private static String read(String name) {
		try {
			return new ClassPathResource("jobpool/redis/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String prefix() {
		return this.prefix;
	}

	String jobKey(String id) {
		return this.prefix + ":job:" + id;
	}

	/** Run one exchange with Redis, turning a failure to reach it into a 503. */
	<T> T call(Supplier<T> exchange) {
		try {
			return exchange.get();
		}
		catch (DataAccessException | io.lettuce.core.RedisException ex) {
			throw new StoreUnavailableException(ex, this.retryAfter);
		}
	}

	List<Object> claim(String executor, String replica, int max) {
		return run(this.claim, List.of(executor, replica, Integer.toString(max)));
	}

	/**
	 * Report starts and ends, then claim for {@code replica} at most the given number of
	 * units per executor id, and read back the wanted jobs this report finished; answers
	 * {@code [answers, [executor, units, ...], [id, whole, ...]]} (see {@link #whole}).
	 * Sent without waiting for the answer, so that the next report can follow it on the
	 * same connection before it is answered: Redis runs them in the order they were sent.
	 * The answer comes on the driver's I/O thread.
	 * @return the answer, or a {@link StoreUnavailableException} if Redis could not be
	 * reached (or lost the script), in time
	 */
	CompletableFuture<List<Object>> reportAsync(List<String> entries, Duration retention, String replica,
			Map<String, Integer> claims, Collection<String> wanted) {
		return evalAsync(this.report, reportArguments(entries, retention, replica, claims, wanted));
	}

	List<Object> admit(List<String> args) {
		return admit(args, (answer) -> {
		});
	}

	/**
	 * Admit a job; what the answer starts is started on the driver's I/O thread, before
	 * the caller's thread is woken.
	 * @param args the admission's arguments
	 * @param onAnswer run with the answer as it comes (must not wait for Redis, nor
	 * throw)
	 * @return the answer
	 */
	List<Object> admit(List<String> args, java.util.function.Consumer<List<Object>> onAnswer) {
		for (int attempt = 0;; attempt++) {
			try {
				return evalAsync(this.admit, args).thenApply((answer) -> {
					onAnswer.accept(answer);
					return answer;
				}).join();
			}
			catch (CompletionException ex) {
				RuntimeException failure = unavailable(ex, this.admit);
				if (attempt == 0 && this.lostScripts.contains(this.admit.getSha1())) {
					// Redis restarted and lost its scripts: loaded again on the next try.
					continue;
				}
				throw failure;
			}
		}
	}

	private CompletableFuture<List<Object>> evalAsync(DefaultRedisScript<List> script, List<String> args) {
		byte[][] values = new byte[args.size() + 1][];
		values[0] = this.prefix.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < args.size(); i++) {
			values[i + 1] = args.get(i).getBytes(StandardCharsets.UTF_8);
		}
		CompletableFuture<List<Object>> answer;
		RedisConnection connection = null;
		try {
			if (this.lostScripts.contains(script.getSha1())) {
				// Redis restarted without its script cache: load it again before what
				// was refused goes again.
				this.redis.execute((RedisCallback<String>) (redis) -> redis.scriptingCommands()
					.scriptLoad(script.getScriptAsString().getBytes(StandardCharsets.UTF_8)));
				this.lostScripts.remove(script.getSha1());
			}
			connection = this.connections.getConnection();
			RedisFuture<List<Object>> sent = async(connection).evalsha(script.getSha1(), ScriptOutputType.MULTI,
					new byte[0][], values);
			answer = sent.toCompletableFuture();
		}
		catch (RuntimeException ex) {
			answer = CompletableFuture.failedFuture(ex);
		}
		RedisConnection used = connection;
		return answer.orTimeout(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((reply, error) -> {
			if (used != null) {
				used.close();
			}
			if (error != null) {
				throw unavailable(error, script);
			}
			return strings(reply);
		});
	}

	/**
	 * The driver's asynchronous commands on the connection the template shares (commands
	 * sent on it from any thread go out in the order sent).
	 */
	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<byte[], byte[]> async(RedisConnection connection) {
		return (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
	}

	private RuntimeException unavailable(Throwable error, DefaultRedisScript<?> script) {
		Throwable cause = error;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof StoreUnavailableException unavailable) {
			return unavailable;
		}
		String message = String.valueOf(cause.getMessage());
		if (message.startsWith("NOSCRIPT")) {
			this.lostScripts.add(script.getSha1());
			return new StoreUnavailableException(cause, this.retryAfter);
		}
		if (cause instanceof io.lettuce.core.RedisCommandExecutionException executionFailed) {
			// The script itself failed: sending it again would fail again.
			return executionFailed;
		}
		if (cause instanceof DataAccessException || cause instanceof io.lettuce.core.RedisException
				|| cause instanceof TimeoutException) {
			return new StoreUnavailableException(cause, this.retryAfter);
		}
		return (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
	}

	/** An answer as the driver gives it (bulk strings as bytes), with strings instead. */
	@SuppressWarnings("unchecked")
	private static List<Object> strings(@Nullable List<Object> reply) {
		if (reply == null) {
			return List.of();
		}
		List<Object> converted = new ArrayList<>(reply.size());
		for (Object value : reply) {
			if (value instanceof byte[] bytes) {
				converted.add(new String(bytes, StandardCharsets.UTF_8));
			}
			else if (value instanceof List<?> list) {
				converted.add(strings((List<Object>) list));
			}
			else {
				converted.add(value);
			}
		}
		return converted;
	}

	private static List<String> reportArguments(List<String> entries, Duration retention, String replica,
			Map<String, Integer> claims, Collection<String> wanted) {
		List<String> args = new ArrayList<>(entries.size() + 4 + claims.size() * 2 + wanted.size());
		args.add(Long.toString(retention.toMillis()));
		args.add(replica);
		args.add(Integer.toString(claims.size()));
		claims.forEach((executor, max) -> {
			args.add(executor);
			args.add(Integer.toString(max));
		});
		args.add(Integer.toString(wanted.size()));
		args.addAll(wanted);
		args.addAll(entries);
		return args;
	}

	String cancel(String id, String reason, String cancelledOutcome, Duration retention) {
		return call(() -> this.redis.execute(this.cancel, List.of(),
				args(List.of(id, reason, cancelledOutcome, Long.toString(retention.toMillis())))));
	}

	List<Object> reclaim(String replica, String mode, int maxRedeliveries, String lostOutcome, Duration retention) {
		return run(this.reclaim, List.of(replica, mode, Integer.toString(maxRedeliveries), lostOutcome,
				Long.toString(retention.toMillis())));
	}

	/** Give back units this live replica holds in Redis but does not run. */
	List<Object> handBackOrphans(String replica, Collection<String> members, Duration retention) {
		List<String> args = new ArrayList<>(members.size() + 5);
		args.addAll(List.of(replica, "orphans", "0", "", Long.toString(retention.toMillis())));
		args.addAll(members);
		return run(this.reclaim, args);
	}

	/** Return the units ({@code job|unit}) Redis says this replica holds. */
	Set<String> claimsOf(String replica) {
		Set<String> members = call(
				() -> this.redis.opsForSet().members(this.prefix + ":replica:" + replica + ":claims"));
		return (members != null) ? members : Set.of();
	}

	long heartbeat(String replica, String description, Duration ttl) {
		Long now = call(() -> this.redis.execute(this.heartbeat, List.of(),
				args(List.of(replica, description, Long.toString(ttl.toMillis())))));
		return (now != null) ? now : 0;
	}

	void leave(String replica) {
		call(() -> this.redis.execute(this.leave, List.of(), args(List.of(replica))));
	}

	List<Object> claimCallbacks(int max, Duration lease, int maxAttempts) {
		return run(this.claimCallbacks,
				List.of(Integer.toString(max), Long.toString(lease.toMillis()), Integer.toString(maxAttempts)));
	}

	void callbackAttempted(String id, List<String> fields) {
		List<String> args = new ArrayList<>(fields.size() + 1);
		args.add(id);
		args.addAll(fields);
		call(() -> this.redis.execute(this.callbackAttempt, List.of(), args(args)));
	}

	void releaseCallbacks(List<String> ids) {
		if (!ids.isEmpty()) {
			call(() -> this.redis.execute(this.releaseCallbacks, List.of(), args(ids)));
		}
	}

	@Nullable String callbackBody(String id, String first) {
		call(() -> this.redis.opsForHash().putIfAbsent(jobKey(id), "cbBody", first));
		return jobField(id, "cbBody");
	}

	long pendingCallbacks() {
		Long count = call(() -> this.redis.opsForZSet().zCard(this.prefix + ":callbacks"));
		return (count != null) ? count : 0;
	}

	@SuppressWarnings("unchecked")
	private List<Object> run(RedisScript<List> script, List<String> args) {
		List<Object> result = call(() -> this.redis.execute(script, List.of(), args(args)));
		return (result != null) ? result : List.of();
	}

	private Object[] args(List<String> args) {
		Object[] all = new Object[args.size() + 1];
		all[0] = this.prefix;
		for (int i = 0; i < args.size(); i++) {
			all[i + 1] = args.get(i);
		}
		return all;
	}

	Map<String, String> job(String id) {
		return hash(jobKey(id));
	}

	Map<String, String> tasks(String id) {
		return hash(jobKey(id) + ":tasks");
	}

	/**
	 * A job's hash, its tasks' hash and its inputs, read in one round trip.
	 *
	 * @param job the job's fields (empty if it is gone)
	 * @param tasks the tasks' fields
	 * @param inputs the inputs as JSON, if still there
	 */
	record WholeJob(Map<String, String> job, TaskFields tasks, @Nullable String inputs) {
	}

	/**
	 * Read a job whole: its hash, then its tasks' hash and its inputs, sent one after the
	 * other on the shared connection without waiting (one round trip). Not in a script:
	 * Lua would turn a large job's tasks (five fields each) into a table of its own and
	 * back, which took Redis 30 ms for 10,000 tasks. The job's hash goes first, so a job
	 * read as finished always comes with every task's end.
	 */
	WholeJob wholeJob(String id) {
		RedisConnection connection = null;
		try {
			connection = this.connections.getConnection();
			RedisClusterAsyncCommands<byte[], byte[]> async = async(connection);
			byte[] key = jobKey(id).getBytes(StandardCharsets.UTF_8);
			RedisFuture<Map<byte[], byte[]>> job = async.hgetall(key);
			// Streamed into its fields as it arrives, without a map of 50,000 names
			// first.
			TaskFields fields = new TaskFields();
			RedisFuture<Long> tasks = async.hgetall(fields, (jobKey(id) + ":tasks").getBytes(StandardCharsets.UTF_8));
			RedisFuture<byte[]> inputs = async.get((jobKey(id) + ":inputs").getBytes(StandardCharsets.UTF_8));
			CompletableFuture
				.allOf(job.toCompletableFuture(), tasks.toCompletableFuture(), inputs.toCompletableFuture())
				.orTimeout(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.join();
			byte[] json = inputs.toCompletableFuture().join();
			return new WholeJob(strings(job.toCompletableFuture().join()), fields,
					(json != null) ? new String(json, StandardCharsets.UTF_8) : null);
		}
		catch (CompletionException ex) {
			throw unavailable(ex, this.read);
		}
		catch (DataAccessException | io.lettuce.core.RedisException ex) {
			throw new StoreUnavailableException(ex, this.retryAfter);
		}
		finally {
			if (connection != null) {
				connection.close();
			}
		}
	}

	private static Map<String, String> strings(@Nullable Map<byte[], byte[]> hash) {
		if (hash == null) {
			return Map.of();
		}
		Map<String, String> strings = new HashMap<>(hash.size() * 2);
		hash.forEach((field, value) -> strings.put(new String(field, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		return strings;
	}

	/** A job as the scripts read it whole: its hash, its tasks' hash, its inputs. */
	static WholeJob whole(List<?> read) {
		TaskFields tasks = new TaskFields();
		forEachField(read.get(1), tasks::put);
		return new WholeJob(flatHash(read.get(0)), tasks,
				(read.size() > 2 && read.get(2) instanceof String json) ? json : null);
	}

	/** A hash as HGETALL answers it inside a script: field, value, field, value... */
	private static Map<String, String> flatHash(@Nullable Object flat) {
		if (!(flat instanceof List<?> list)) {
			return Map.of();
		}
		Map<String, String> hash = new HashMap<>(list.size());
		forEachField(list, hash::put);
		return hash;
	}

	private static void forEachField(@Nullable Object flat, BiConsumer<String, String> field) {
		if (flat instanceof List<?> list) {
			for (int i = 0; i + 1 < list.size(); i += 2) {
				field.accept(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
			}
		}
	}

	List<@Nullable String> taskFields(String id, Collection<String> fields) {
		return call(() -> {
			List<Object> values = this.redis.opsForHash().multiGet(jobKey(id) + ":tasks", new ArrayList<>(fields));
			List<@Nullable String> strings = new ArrayList<>(values.size());
			values.forEach((value) -> strings.add((String) value));
			return strings;
		});
	}

	@Nullable String jobField(String id, String field) {
		return call(() -> (String) this.redis.opsForHash().get(jobKey(id), field));
	}

	@Nullable String inputs(String id) {
		return call(() -> this.redis.opsForValue().get(jobKey(id) + ":inputs"));
	}

	List<String> events(String id, long from, long to) {
		List<String> events = call(() -> this.redis.opsForList().range(jobKey(id) + ":events", from, to));
		return (events != null) ? events : List.of();
	}

	List<String> newestJobIds(long offset, long count) {
		Set<String> ids = call(
				() -> this.redis.opsForZSet().reverseRange(this.prefix + ":jobs", offset, offset + count - 1));
		return (ids != null) ? List.copyOf(ids) : List.of();
	}

	/** Read several jobs' hashes in one round trip. */
	List<Map<String, String>> jobs(List<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		List<String> args = new ArrayList<>(ids.size() + 1);
		args.add("hashes");
		args.addAll(ids);
		List<Object> read = run(this.read, args);
		List<Map<String, String>> jobs = new ArrayList<>(ids.size());
		for (Object hash : read) {
			jobs.add(flatHash(hash));
		}
		return jobs;
	}

	void forget(String id) {
		call(() -> this.redis.opsForZSet().remove(this.prefix + ":jobs", id));
	}

	@Nullable String idempotencyEntry(String key) {
		return call(() -> this.redis.opsForValue().get(this.prefix + ":idem:" + key));
	}

	void forgetIdempotencyKey(String key) {
		call(() -> this.redis.delete(this.prefix + ":idem:" + key));
	}

	Map<String, String> queued() {
		return hash(this.prefix + ":queued");
	}

	/**
	 * One replica the index knows.
	 *
	 * @param id its id
	 * @param lastSeen when its last heartbeat came, on Redis's clock (ms)
	 * @param description its executors and load, or {@code null} once its heartbeat
	 * expired (it is dead)
	 */
	record Member(String id, long lastSeen, @Nullable String description) {
	}

	/** Return every replica the index knows, live or dead, in two round trips. */
	List<Member> members() {
		var tuples = call(() -> this.redis.opsForZSet().rangeWithScores(this.prefix + ":replicas", 0, -1));
		if (tuples == null || tuples.isEmpty()) {
			return List.of();
		}
		List<ZSetOperations.TypedTuple<String>> index = List.copyOf(tuples);
		List<String> keys = index.stream().map((tuple) -> this.prefix + ":replica:" + tuple.getValue()).toList();
		List<String> descriptions = call(() -> this.redis.opsForValue().multiGet(keys));
		List<Member> members = new ArrayList<>(index.size());
		for (int i = 0; i < index.size(); i++) {
			Double seen = index.get(i).getScore();
			members.add(new Member(String.valueOf(index.get(i).getValue()), (seen != null) ? seen.longValue() : 0,
					(descriptions != null) ? descriptions.get(i) : null));
		}
		return members;
	}

	/** Return Redis's clock, in milliseconds. */
	long now() {
		Long now = call(
				() -> this.redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time()));
		return (now != null) ? now : System.currentTimeMillis();
	}

	boolean ping() {
		String pong = call(() -> this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
		return "PONG".equalsIgnoreCase(pong);
	}

	private Map<String, String> hash(String key) {
		Map<Object, Object> entries = call(() -> this.redis.opsForHash().entries(key));
		Map<String, String> strings = new HashMap<>(entries.size() * 2);
		entries.forEach((field, value) -> strings.put((String) field, (String) value));
		return strings;
	}

}
