package dev.jobpool.job.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
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

	private final String prefix;

	private final Duration retryAfter;

	private final RedisScript<List> admit = script("admit", List.class);

	private final RedisScript<List> claim = script("claim", List.class);

	private final RedisScript<List> report = script("report", List.class);

	private final RedisScript<String> cancel = script("cancel", String.class);

	private final RedisScript<List> reclaim = script("reclaim", List.class);

	private final RedisScript<Long> heartbeat = script("heartbeat", Long.class);

	private final RedisScript<Long> leave = script("leave", Long.class);

	private final RedisScript<List> claimCallbacks = script("callbacks_claim", List.class);

	private final RedisScript<Long> callbackAttempt = script("callback_attempt", Long.class);

	private final RedisScript<Long> releaseCallbacks = script("callbacks_release", Long.class);

	RedisStore(StringRedisTemplate redis, String prefix, Duration retryAfter) {
		this.redis = redis;
		this.prefix = prefix;
		this.retryAfter = retryAfter;
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
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

	List<Object> admit(List<String> args) {
		return run(this.admit, args);
	}

	List<Object> claim(String executor, String replica, int max) {
		return run(this.claim, List.of(executor, replica, Integer.toString(max)));
	}

	List<Object> report(List<String> entries, Duration retention) {
		List<String> args = new ArrayList<>(entries.size() + 1);
		args.add(Long.toString(retention.toMillis()));
		args.addAll(entries);
		return run(this.report, args);
	}

	String cancel(String id, String reason, String cancelledOutcome, Duration retention) {
		return call(() -> this.redis.execute(this.cancel, List.of(),
				args(List.of(id, reason, cancelledOutcome, Long.toString(retention.toMillis())))));
	}

	List<Object> reclaim(String replica, String mode, int maxRedeliveries, String lostOutcome, Duration retention) {
		return run(this.reclaim, List.of(replica, mode, Integer.toString(maxRedeliveries), lostOutcome,
				Long.toString(retention.toMillis())));
	}

	long heartbeat(String replica, String description, Duration ttl) {
		Long now = call(() -> this.redis.execute(this.heartbeat, List.of(),
				args(List.of(replica, description, Long.toString(ttl.toMillis())))));
		return (now != null) ? now : 0;
	}

	void leave(String replica) {
		call(() -> this.redis.execute(this.leave, List.of(), args(List.of(replica))));
	}

	List<Object> claimCallbacks(int max, Duration lease) {
		return run(this.claimCallbacks, List.of(Integer.toString(max), Long.toString(lease.toMillis())));
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
		java.util.Set<String> ids = call(
				() -> this.redis.opsForZSet().reverseRange(this.prefix + ":jobs", offset, offset + count - 1));
		return (ids != null) ? List.copyOf(ids) : List.of();
	}

	/** Read several jobs' hashes in one round trip. */
	@SuppressWarnings("unchecked")
	List<Map<String, String>> jobs(List<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		List<Object> results = call(() -> this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			ids.forEach((id) -> connection.hashCommands().hGetAll(jobKey(id).getBytes(StandardCharsets.UTF_8)));
			return null;
		}));
		List<Map<String, String>> jobs = new ArrayList<>(ids.size());
		for (Object result : results) {
			jobs.add((result instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of());
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
		Map<String, String> strings = new java.util.HashMap<>(entries.size() * 2);
		entries.forEach((field, value) -> strings.put((String) field, (String) value));
		return strings;
	}

}
