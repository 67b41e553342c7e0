package dev.jobpool.execution.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.jobpool.fetch.FetchProperties;
import dev.jobpool.task.FetchResult;
import dev.jobpool.task.TaskErrorCode;
import dev.jobpool.task.TaskResult;
import dev.jobpool.task.TaskWork;
import dev.jobpool.work.WorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every frame of {@link WorkerProtocol} survives a trip through bytes.
 */
class WorkerProtocolTests {

	@Test
	void settingsRoundTripAsTheRecordTheyWereWrittenFrom() throws IOException {
		// Every field differs from its default and from the fields beside it, so that a
		// field written in the wrong place cannot read back equal.
		WorkerSettings settings = new WorkerSettings(new FetchProperties(Duration.ofMillis(1234).plusNanos(5),
				Duration.ofMinutes(2), DataSize.ofBytes(123_456_789), 9, 50_000, "jobpool-test/ü " + "x".repeat(70_000),
				List.of("127.0.0.1", "10.0.0.0/8", "example.org"), false, Duration.ofNanos(1_500_000), 7, 321,
				List.of(8080, 9090)));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		WorkerProtocol.writeSettings(new DataOutputStream(bytes), settings);
		DataInputStream in = input(bytes);

		assertThat(WorkerProtocol.decodeSettings(WorkerProtocol.readSettings(in))).isEqualTo(settings);
		assertThat(in.read()).as("the whole frame was read").isEqualTo(-1);
	}

	@Test
	void closedStreamReadsAsNoSettings() throws IOException {
		assertThat(WorkerProtocol.readSettings(new DataInputStream(new ByteArrayInputStream(new byte[0])))).isNull();
	}

	@Test
	void aRequestWhereTheSettingsBelongIsAnIoException() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		WorkerProtocol.writeRequest(new DataOutputStream(bytes), new WorkerProtocol.Request(new TaskWork.Sum(3), 1));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> WorkerProtocol.readSettings(input(bytes)))
			.withMessageContaining("settings");
	}

	@Test
	void settingsTheRecordRefusesAreAnIoException() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		WorkerProtocol.writeSettings(new DataOutputStream(bytes), Workers.settings());
		byte[] payload = WorkerProtocol.readSettings(input(bytes));
		// The payload starts with the connect timeout's seconds: make them negative.
		payload[0] = (byte) 0xFF;
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> WorkerProtocol.decodeSettings(payload))
			.withMessageContaining("connect-timeout");
	}

	@Test
	void sumRequestRoundTrips() throws IOException {
		WorkerProtocol.Request request = new WorkerProtocol.Request(new TaskWork.Sum(1_000_000_007L), 123_456_789L);
		assertThat(roundTrip(request)).isEqualTo(request);
	}

	@Test
	void sumRangeRequestRoundTrips() throws IOException {
		WorkerProtocol.Request request = new WorkerProtocol.Request(
				new TaskWork.SumRange(Long.MAX_VALUE - 10, Long.MAX_VALUE), Long.MAX_VALUE);
		assertThat(roundTrip(request)).isEqualTo(request);
	}

	@Test
	void fetchRequestRoundTrips() throws IOException {
		WorkerProtocol.Request request = new WorkerProtocol.Request(
				new TaskWork.Fetch(URI.create("http://127.0.0.1:8080/a/b?c=d%20e&f=ü#frag")), 5_000_000_000L);
		assertThat(roundTrip(request)).isEqualTo(request);
	}

	@Test
	void requestsFollowOneAnotherOnOneStream() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		WorkerProtocol.Request first = new WorkerProtocol.Request(new TaskWork.Sum(3), 1);
		WorkerProtocol.Request second = new WorkerProtocol.Request(new TaskWork.Fetch(URI.create("http://x/")), 2);
		WorkerProtocol.writeRequest(out, first);
		WorkerProtocol.writeRequest(out, second);
		DataInputStream in = input(bytes);
		assertThat(read(in)).isEqualTo(first);
		assertThat(read(in)).isEqualTo(second);
		assertThat(read(in)).isNull();
	}

	@Test
	void pingsBeforeARequestAreAnsweredWithPongs() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		WorkerProtocol.writePing(out);
		WorkerProtocol.writePing(out);
		WorkerProtocol.Request request = new WorkerProtocol.Request(new TaskWork.Sum(7), 1);
		WorkerProtocol.writeRequest(out, request);
		ByteArrayOutputStream answers = new ByteArrayOutputStream();
		assertThat(WorkerProtocol.readRequest(input(bytes), new DataOutputStream(answers))).isEqualTo(request);
		DataInputStream pongs = input(answers);
		assertThat(pongs.readInt()).isEqualTo(WorkerProtocol.PONG);
		assertThat(pongs.readInt()).isEqualTo(WorkerProtocol.PONG);
		assertThat(pongs.read()).isEqualTo(-1);
	}

	@Test
	void closedStreamReadsAsNoRequest() throws IOException {
		assertThat(read(new DataInputStream(new ByteArrayInputStream(new byte[0])))).isNull();
	}

	@Test
	void unknownRequestKindIsAnIoException() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.writeByte(42);
		out.writeLong(1);
		out.writeLong(1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> read(input(bytes))).withMessageContaining("42");
	}

	@Test
	void unknownResponseKindIsAnIoException() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.writeLong(1);
		out.writeLong(2);
		out.writeLong(3);
		out.writeByte(99);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> WorkerProtocol.readResponse(input(bytes)))
			.withMessageContaining("99");
	}

	@Test
	void truncatedResponseIsAnIoException() {
		assertThatExceptionOfType(EOFException.class)
			.isThrownBy(() -> WorkerProtocol.readResponse(new DataInputStream(new ByteArrayInputStream(new byte[5]))));
	}

	@Test
	void sumResponsePastLongRoundTrips() throws IOException {
		BigInteger big = BigInteger.TWO.pow(63).multiply(BigInteger.valueOf(12345)).add(BigInteger.ONE);
		WorkerProtocol.Response response = new WorkerProtocol.Response(new TaskResult.Sum(big), null, null, 11, 22, 33);
		WorkerProtocol.Response read = roundTrip(response);
		assertThat(read).isEqualTo(response);
		assertThat(read.result()).isEqualTo(new TaskResult.Sum(big));
		assertThat(read.runNanos()).isEqualTo(11);
		assertThat(read.cpuNanos()).isEqualTo(22);
		assertThat(read.rssBytes()).isEqualTo(33);
	}

	@Test
	void zeroSumResponseRoundTrips() throws IOException {
		WorkerProtocol.Response response = new WorkerProtocol.Response(new TaskResult.Sum(BigInteger.ZERO), null, null,
				0, -1, -1);
		assertThat(roundTrip(response)).isEqualTo(response);
	}

	@Test
	void fetchResponseWithContentTypeRoundTrips() throws IOException {
		FetchResult result = new FetchResult(200, 12_345_678_901L, "text/html; charset=utf-8",
				"http://127.0.0.1:1234/final", "ab".repeat(32), 1.25, 17.5, 3);
		WorkerProtocol.Response response = new WorkerProtocol.Response(result, null, null, 5, 6, 7);
		assertThat(roundTrip(response)).isEqualTo(response);
	}

	@Test
	void fetchResponseWithoutContentTypeRoundTrips() throws IOException {
		FetchResult result = new FetchResult(404, 0, null, "http://127.0.0.1:1234/", "cd".repeat(32), 0.0, 0.5, 0);
		WorkerProtocol.Response response = new WorkerProtocol.Response(result, null, null, 5, -1, -1);
		WorkerProtocol.Response read = roundTrip(response);
		assertThat(read).isEqualTo(response);
		assertThat(((FetchResult) read.result()).contentType()).isNull();
	}

	@ParameterizedTest
	@EnumSource(TaskErrorCode.class)
	void failureResponseRoundTripsEveryCode(TaskErrorCode code) throws IOException {
		WorkerProtocol.Response response = new WorkerProtocol.Response(null, code, "went wrong: " + code, 9, 8, 7);
		assertThat(roundTrip(response)).isEqualTo(response);
	}

	@Test
	void failureWithoutCodeIsInternal() throws IOException {
		WorkerProtocol.Response read = roundTrip(new WorkerProtocol.Response(null, null, "oops", 1, 1, 1));
		assertThat(read.errorCode()).isEqualTo(TaskErrorCode.INTERNAL);
		assertThat(read.errorMessage()).isEqualTo("oops");
	}

	@Test
	void longFailureMessageIsTruncated() throws IOException {
		String message = "é".repeat(30_000);
		WorkerProtocol.Response read = roundTrip(new WorkerProtocol.Response(null, TaskErrorCode.IO, message, 1, 1, 1));
		assertThat(read.errorCode()).isEqualTo(TaskErrorCode.IO);
		assertThat(read.errorMessage()).hasSize(4001).startsWith("é".repeat(4000)).endsWith("…");
	}

	@Test
	void messageOfExactlyTheLimitIsKept() throws IOException {
		String message = "x".repeat(4000);
		WorkerProtocol.Response read = roundTrip(new WorkerProtocol.Response(null, TaskErrorCode.IO, message, 1, 1, 1));
		assertThat(read.errorMessage()).isEqualTo(message);
	}

	/** Read a request where no ping comes first: nothing may be answered. */
	private static WorkerProtocol.@Nullable Request read(DataInputStream in) throws IOException {
		ByteArrayOutputStream answers = new ByteArrayOutputStream();
		WorkerProtocol.Request request = WorkerProtocol.readRequest(in, new DataOutputStream(answers));
		assertThat(answers.size()).as("bytes answered").isZero();
		return request;
	}

	private static WorkerProtocol.Request roundTrip(WorkerProtocol.Request request) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		WorkerProtocol.writeRequest(new DataOutputStream(bytes), request);
		DataInputStream in = input(bytes);
		WorkerProtocol.Request read = read(in);
		assertThat(in.read()).as("the whole frame was read").isEqualTo(-1);
		return read;
	}

	private static WorkerProtocol.Response roundTrip(WorkerProtocol.Response response) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		WorkerProtocol.writeResponse(new DataOutputStream(bytes), response);
		DataInputStream in = input(bytes);
		WorkerProtocol.Response read = WorkerProtocol.readResponse(in);
		assertThat(in.read()).as("the whole frame was read").isEqualTo(-1);
		return read;
	}

	private static DataInputStream input(ByteArrayOutputStream bytes) {
		return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
	}

}
