package dev.jobpool.job.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.jobpool.job.Job;
import dev.jobpool.job.JobEvent;
import dev.jobpool.web.ApiException;

/**
 * The open event streams of jobs. A stream keeps a cursor into the job's ended tasks and
 * pulls at most {@code batch-size} events at a time as it writes, so a late subscriber of
 * a large finished job pins nothing; a client that does not read is dropped once a write
 * blocks for {@code send-timeout}, and past {@code max-subscribers} the slowest stream is
 * dropped with a final {@code dropped} event.
 */
@Component
class JobEventStreams {

	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private static final Duration STREAM_TIMEOUT = Duration.ofHours(2);

	private final EventsProperties properties;

	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

	private final MeterRegistry registry;

	JobEventStreams(EventsProperties properties, MeterRegistry registry) {
		this.properties = properties;
		this.registry = registry;
		Gauge.builder("jobpool.events.subscribers", this.open, Set::size)
			.description("Job event streams open")
			.register(registry);
		for (String reason : List.of(Stream.SEND_TIMEOUT, Stream.TOO_MANY)) {
			this.dropped.put(reason,
					Counter.builder("jobpool.events.dropped")
						.description("Job event streams dropped before their job's end")
						.tag("reason", reason)
						.register(registry));
		}
	}

	SseEmitter open(Job job) {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		Stream stream = new Stream(job, emitter);
		while (this.open.size() >= this.properties.maxSubscribers()) {
			this.open.stream()
				.max(Comparator.comparingLong(Stream::slowness))
				.ifPresent((slowest) -> slowest.drop(Stream.TOO_MANY, "too many subscribers: "
						+ this.properties.maxSubscribers() + " streams are open and this one was the slowest"));
		}
		this.open.add(stream);
		emitter.onCompletion(stream::closed);
		emitter.onTimeout(stream::closed);
		emitter.onError((ex) -> stream.closed());
		Thread.ofVirtual().name("jobpool-events-" + job.id()).start(stream::run);
		return emitter;
	}

	int openCount() {
		return this.open.size();
	}

	/** One subscriber: its cursor, and what it is doing now. */
	private final class Stream {

		static final String SEND_TIMEOUT = "send-timeout";

		static final String TOO_MANY = "too-many-subscribers";

		private final Job job;

		private final SseEmitter emitter;

		private final Semaphore wake = new Semaphore(0);

		private final Runnable onChange = this.wake::release;

		private final long openedNanos = System.nanoTime();

		private volatile long sendingSince;

		private volatile long lastSent = System.nanoTime();

		private volatile String dropReason;

		private int cursor;

		Stream(Job job, SseEmitter emitter) {
			this.job = job;
			this.emitter = emitter;
		}

		/** How long this stream has been stuck: in a write, or since its last one. */
		long slowness() {
			long since = this.sendingSince;
			long now = System.nanoTime();
			return (since != 0) ? (now - since) + STREAM_TIMEOUT.toNanos() : now - this.lastSent;
		}

		void drop(String reason, String message) {
			if (this.dropReason == null) {
				this.dropReason = message;
				JobEventStreams.this.dropped.get(reason).increment();
			}
			JobEventStreams.this.open.remove(this);
			this.wake.release();
		}

		void closed() {
			JobEventStreams.this.open.remove(this);
			this.job.unwatch(this.onChange);
		}

		void run() {
			this.job.watch(this.onChange);
			try {
				while (true) {
					this.wake.drainPermits();
					List<JobEvent> events;
					try {
						events = this.job.eventsFrom(this.cursor, JobEventStreams.this.properties.batchSize());
					}
					catch (ApiException ex) {
						if (ex.retryAfter() == null) {
							throw ex;
						}
						// The store is away for a moment (Redis restarting): the stream
						// waits, with heartbeats, and goes on from its cursor.
						if (!this.wake.tryAcquire(ex.retryAfter().toMillis(), TimeUnit.MILLISECONDS)) {
							send(SseEmitter.event().comment("store unavailable, waiting"));
						}
						continue;
					}
					if (events.isEmpty()) {
						if (!this.wake.tryAcquire(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
							send(SseEmitter.event().comment("still running"));
						}
						else if (this.dropReason != null) {
							sendDropped();
							return;
						}
						continue;
					}
					for (JobEvent event : events) {
						if (this.dropReason != null) {
							sendDropped();
							return;
						}
						switch (event) {
							case JobEvent.TaskEnded ended -> {
								send(SseEmitter.event().name("task").data(ended.task(), MediaType.APPLICATION_JSON));
								send(SseEmitter.event()
									.name("progress")
									.data(ended.progress(), MediaType.APPLICATION_JSON));
								this.cursor++;
							}
							case JobEvent.Finished finished -> {
								send(SseEmitter.event().name("job").data(finished.job(), MediaType.APPLICATION_JSON));
								this.emitter.complete();
								return;
							}
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// The client went away or stopped reading, the job went away (evicted)
				// or the store failed for good: end the stream.
				endWithError(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.emitter.complete();
			}
			finally {
				closed();
			}
		}

		/**
		 * Once the container has seen the client's connection fail, it refuses an
		 * application thread's completion: the stream is over either way.
		 */
		private void endWithError(Exception ex) {
			try {
				this.emitter.completeWithError(ex);
			}
			catch (IllegalStateException alreadyEnded) {
				// Nothing left to end.
			}
		}

		private void sendDropped() throws IOException {
			send(SseEmitter.event()
				.name("dropped")
				.data(Map.of("reason", this.dropReason, "sent", this.cursor), MediaType.APPLICATION_JSON));
			this.emitter.complete();
		}

		private void send(SseEmitter.SseEventBuilder event) throws IOException {
			long started = System.nanoTime();
			this.sendingSince = started;
			try {
				this.emitter.send(event);
			}
			catch (IOException ex) {
				if (this.dropReason == null
						&& System.nanoTime() - started >= JobEventStreams.this.properties.sendTimeout().toNanos() / 2) {
					drop(SEND_TIMEOUT, "a write blocked for " + JobEventStreams.this.properties.sendTimeout());
				}
				throw ex;
			}
			finally {
				this.sendingSince = 0;
			}
			this.lastSent = System.nanoTime();
		}

	}

}
