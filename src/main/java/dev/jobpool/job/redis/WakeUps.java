package dev.jobpool.job.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.jobpool.execution.ExecutorKind;

/**
 * Wake-ups from other replicas on one dedicated pub/sub connection: a task of a job
 * ended, a job was cancelled, work arrived. Subscribed by the heartbeat, and again after
 * the connection was lost, so that a replica starts and runs while Redis is away. Pub/sub
 * loses messages meanwhile; the watchers' and claimers' polls cover that.
 */
final class WakeUps {

	private static final Logger logger = LoggerFactory.getLogger(WakeUps.class);

	private final RedisConnectionFactory connections;

	private final String prefix;

	private final Watchers watchers;

	private @Nullable RedisConnection connection;

	WakeUps(RedisConnectionFactory connections, String prefix, Watchers watchers) {
		this.connections = connections;
		this.prefix = prefix;
		this.watchers = watchers;
	}

	/** Subscribe unless subscribed already; a failure is retried at the next call. */
	synchronized void ensureSubscribed(ReplicaAgent agent) {
		RedisConnection current = this.connection;
		if (current != null && !current.isClosed() && current.isSubscribed()) {
			return;
		}
		close();
		try {
			RedisConnection subscriber = this.connections.getConnection();
			this.connection = subscriber;
			subscriber.subscribe((message, pattern) -> dispatch(message, agent), channel("events"), channel("cancel"),
					channel("work"));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not subscribe to the store's wake-ups: {}", ex.getMessage());
			close();
		}
	}

	private void dispatch(Message message, ReplicaAgent agent) {
		String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		if (channel.endsWith(":events")) {
			// "job" or "job|replica", when a replica's report changed the job.
			int bar = body.indexOf('|');
			this.watchers.wake((bar < 0) ? body : body.substring(0, bar), (bar < 0) ? null : body.substring(bar + 1));
		}
		else if (channel.endsWith(":cancel")) {
			agent.cancelled(body);
		}
		else {
			ExecutorKind.fromId(body).ifPresent(agent::workArrived);
		}
	}

	private byte[] channel(String name) {
		return (this.prefix + ":" + name).getBytes(StandardCharsets.UTF_8);
	}

	synchronized void close() {
		RedisConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the wake-up connection: {}", ex.getMessage());
			}
		}
	}

}
