package dev.jobpool.job;

import java.net.URI;
import java.time.Instant;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How the callback of a job of the in-memory store goes: its body, made once at the first
 * attempt, and the outcome of the last attempt. Guarded by its job's lock.
 */
final class CallbackState {

	private final URI url;

	private CallbackStatus status = CallbackStatus.PENDING;

	private int attempts;

	private @Nullable Integer statusCode;

	private JobView.@Nullable CallbackError error;

	private @Nullable Instant deliveredAt;

	private @Nullable String body;

	CallbackState(URI url) {
		this.url = url;
	}

	String body(Supplier<String> first) {
		String made = this.body;
		if (made == null) {
			made = first.get();
			this.body = made;
		}
		return made;
	}

	void attempted(CallbackAttempt attempt) {
		this.attempts++;
		this.status = attempt.status();
		this.statusCode = attempt.statusCode();
		this.error = attempt.error();
		if (attempt.status() == CallbackStatus.DELIVERED) {
			this.deliveredAt = attempt.at();
		}
	}

	JobView.CallbackView view() {
		return new JobView.CallbackView(this.url.toString(), this.status, this.attempts, this.statusCode, this.error,
				this.deliveredAt);
	}

}
