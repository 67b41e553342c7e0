package dev.jobpool.execution.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;

import org.jspecify.annotations.Nullable;

import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;
import dev.jobpool.work.WorkerSettings;

/**
 * The frames a service and its worker process exchange over the worker's stdin and
 * stdout: first the worker's settings, then one request, one response, in turn. Binary
 * and small, so that a trivial task's round trip costs microseconds.
 */
final class WorkerProtocol {

	/** Written once by a worker when it is ready for tasks. */
	static final int READY = 0x6A6F6270;

	/** Written by a worker in answer to a ping. */
	static final int PONG = 0x706F6E67;

	private static final byte SUM = 1;

	private static final byte FETCH = 2;

	private static final byte SUM_RANGE = 3;

	private static final byte PING = 4;

	private static final byte SETTINGS = 5;

	private static final int MAX_SETTINGS_BYTES = 16 << 20;

	private static final byte OK_SUM = 1;

	private static final byte OK_FETCH = 2;

	private static final byte FAILED = 3;

	private WorkerProtocol() {
	}

	/**
	 * A task as the worker receives it.
	 *
	 * @param work what to do
	 * @param timeoutNanos how long it may run
	 */
	record Request(TaskWork work, long timeoutNanos) {
	}

	/**
	 * A task's answer.
	 *
	 * @param result the sum or the {@link FetchResult}, if it succeeded
	 * @param errorCode why it failed, if it did
	 * @param errorMessage what happened, if it failed
	 * @param runNanos how long the work ran inside the worker
	 * @param cpuNanos the CPU time the work used, or -1
	 * @param rssBytes the worker's resident memory after the task, or -1
	 */
	record Response(@Nullable TaskResult result, @Nullable TaskErrorCode errorCode, @Nullable String errorMessage,
			long runNanos, long cpuNanos, long rssBytes) {
	}

	/**
	 * Give a worker that has just started its settings: the first frame it reads.
	 * @param out the worker's stdin
	 * @param settings the settings
	 * @throws IOException if the stream breaks
	 */
	static void writeSettings(DataOutputStream out, WorkerSettings settings) throws IOException {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		settings.writeTo(new DataOutputStream(payload));
		out.writeByte(SETTINGS);
		out.writeInt(payload.size());
		payload.writeTo(out);
		out.flush();
	}

	/**
	 * Read the frame of a worker's settings, the first the service sends it, without
	 * decoding it: decoding loads library classes (the settings record's types) that a
	 * worker running only sums never needs, and that would lengthen every worker's start.
	 * @param in the worker's stdin
	 * @return the frame's payload for {@link #decodeSettings(byte[])}, or {@code null}
	 * when the service closed the stream first
	 * @throws IOException if the stream breaks or holds something else
	 */
	static byte @Nullable [] readSettings(DataInputStream in) throws IOException {
		int kind = in.read();
		if (kind < 0) {
			return null;
		}
		if (kind != SETTINGS) {
			throw new IOException("Expected the worker's settings, got frame kind " + kind);
		}
		int length = in.readInt();
		if (length < 0 || length > MAX_SETTINGS_BYTES) {
			throw new IOException("Invalid length of the worker's settings: " + length);
		}
		byte[] payload = new byte[length];
		in.readFully(payload);
		return payload;
	}

	/**
	 * Decode the settings read by {@link #readSettings(DataInputStream)}.
	 * @param payload the frame's payload
	 * @return the settings
	 * @throws IOException if the payload is not whole settings, or holds settings the
	 * record refuses
	 */
	static WorkerSettings decodeSettings(byte[] payload) throws IOException {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
		WorkerSettings settings = WorkerSettings.readFrom(in);
		if (in.read() >= 0) {
			throw new IOException("The worker's settings are followed by " + (in.available() + 1) + " more bytes");
		}
		return settings;
	}

	static void writeRequest(DataOutputStream out, Request request) throws IOException {
		switch (request.work()) {
			case TaskWork.Sum(long n) -> {
				out.writeByte(SUM);
				out.writeLong(request.timeoutNanos());
				out.writeLong(n);
			}
			case TaskWork.SumRange(long from, long to) -> {
				out.writeByte(SUM_RANGE);
				out.writeLong(request.timeoutNanos());
				out.writeLong(from);
				out.writeLong(to);
			}
			case TaskWork.Fetch(URI url) -> {
				out.writeByte(FETCH);
				out.writeLong(request.timeoutNanos());
				out.writeUTF(url.toString());
			}
		}
		out.flush();
	}

	/**
	 * Ask a worker whether it is still there; it answers {@link #PONG}.
	 * @param out the worker's stdin
	 * @throws IOException if the stream breaks
	 */
	static void writePing(DataOutputStream out) throws IOException {
		out.writeByte(PING);
		out.flush();
	}

	/**
	 * Read the next request, answering the pings that come before it.
	 * @param in the worker's stdin
	 * @param out the worker's stdout, where pongs go
	 * @return the request, or {@code null} when the service closed the stream
	 * @throws IOException if the stream breaks or holds something else
	 */
	static @Nullable Request readRequest(DataInputStream in, DataOutputStream out) throws IOException {
		int kind = in.read();
		while (kind == PING) {
			out.writeInt(PONG);
			out.flush();
			kind = in.read();
		}
		if (kind < 0) {
			return null;
		}
		long timeoutNanos = in.readLong();
		TaskWork work = switch (kind) {
			case SUM -> new TaskWork.Sum(in.readLong());
			case SUM_RANGE -> new TaskWork.SumRange(in.readLong(), in.readLong());
			case FETCH -> new TaskWork.Fetch(URI.create(in.readUTF()));
			default -> throw new IOException("Unknown request kind " + kind);
		};
		return new Request(work, timeoutNanos);
	}

	static void writeResponse(DataOutputStream out, Response response) throws IOException {
		out.writeLong(response.runNanos());
		out.writeLong(response.cpuNanos());
		out.writeLong(response.rssBytes());
		switch (response.result()) {
			case TaskResult.Sum(BigInteger sum) -> {
				out.writeByte(OK_SUM);
				byte[] bytes = sum.toByteArray();
				out.writeInt(bytes.length);
				out.write(bytes);
			}
			case FetchResult fetch -> {
				out.writeByte(OK_FETCH);
				out.writeInt(fetch.status());
				out.writeLong(fetch.bytes());
				out.writeBoolean(fetch.contentType() != null);
				if (fetch.contentType() != null) {
					out.writeUTF(fetch.contentType());
				}
				out.writeUTF(fetch.finalUrl());
				out.writeUTF(fetch.sha256());
				out.writeDouble(fetch.timeToFirstByteMs());
				out.writeDouble(fetch.totalMs());
				out.writeInt(fetch.redirects());
			}
			case null -> {
				out.writeByte(FAILED);
				out.writeUTF(String.valueOf(
						(response.errorCode() != null) ? response.errorCode().name() : TaskErrorCode.INTERNAL.name()));
				out.writeUTF(truncate(String.valueOf(response.errorMessage())));
			}
		}
		out.flush();
	}

	static Response readResponse(DataInputStream in) throws IOException {
		long runNanos = in.readLong();
		long cpuNanos = in.readLong();
		long rssBytes = in.readLong();
		byte kind = in.readByte();
		return switch (kind) {
			case OK_SUM -> {
				byte[] bytes = new byte[in.readInt()];
				in.readFully(bytes);
				yield new Response(new TaskResult.Sum(new BigInteger(bytes)), null, null, runNanos, cpuNanos, rssBytes);
			}
			case OK_FETCH -> {
				int status = in.readInt();
				long bytes = in.readLong();
				String contentType = in.readBoolean() ? in.readUTF() : null;
				FetchResult result = new FetchResult(status, bytes, contentType, in.readUTF(), in.readUTF(),
						in.readDouble(), in.readDouble(), in.readInt());
				yield new Response(result, null, null, runNanos, cpuNanos, rssBytes);
			}
			case FAILED ->
				new Response(null, TaskErrorCode.valueOf(in.readUTF()), in.readUTF(), runNanos, cpuNanos, rssBytes);
			default -> throw new IOException("Unknown response kind " + kind);
		};
	}

	private static String truncate(String message) {
		// writeUTF takes at most 65535 bytes; messages are short, but never let one break
		// the frame.
		return (message.length() > 4000) ? message.substring(0, 4000) + "…" : message;
	}

}
