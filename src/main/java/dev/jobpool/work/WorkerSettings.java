package dev.jobpool.work;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.util.unit.DataSize;

import dev.jobpool.fetch.FetchProperties;

/**
 * The settings a worker process runs its tasks with, sent to it once as its first
 * message: the service's {@code jobpool.fetch} settings record as it is, so that a worker
 * fetches exactly as the service does and knows no defaults of its own.
 * <p>
 * Written in binary like the rest of the worker protocol: a JSON library would cost a
 * worker JVM most of a second to load before its first task.
 *
 * @param fetch the fetch settings, with the ports of the service's web servers among
 * {@link FetchProperties#servicePorts() its service ports}
 */
public record WorkerSettings(FetchProperties fetch) {

	private static final int MAX_TEXT_BYTES = 1 << 20;

	private static final int MAX_ITEMS = 1 << 16;

	/**
	 * Return the settings of a worker started now.
	 * @param fetch the service's fetch settings
	 * @param servicePorts the ports of the service's web servers started so far, which
	 * the worker must never fetch either
	 * @return the settings
	 */
	public static WorkerSettings of(FetchProperties fetch, Collection<Integer> servicePorts) {
		return new WorkerSettings(fetch.withServicePorts(servicePorts.stream().sorted().toList()));
	}

	/**
	 * Write these settings.
	 * @param out where to
	 * @throws IOException if the stream breaks
	 */
	public void writeTo(DataOutput out) throws IOException {
		writeDuration(out, this.fetch.connectTimeout());
		writeDuration(out, this.fetch.readTimeout());
		out.writeLong(this.fetch.maxResponseSize().toBytes());
		out.writeInt(this.fetch.maxRedirects());
		out.writeInt(this.fetch.maxConnections());
		writeText(out, this.fetch.userAgent());
		out.writeInt(this.fetch.allowedHosts().size());
		for (String host : this.fetch.allowedHosts()) {
			writeText(out, host);
		}
		out.writeBoolean(this.fetch.blockPrivateNetworks());
		writeDuration(out, this.fetch.dnsTimeout());
		out.writeInt(this.fetch.maxPerHost());
		out.writeInt(this.fetch.maxInFlight());
		out.writeInt(this.fetch.servicePorts().size());
		for (int port : this.fetch.servicePorts()) {
			out.writeInt(port);
		}
	}

	/**
	 * Read settings written by {@link #writeTo(DataOutput)}.
	 * @param in where from
	 * @return the settings
	 * @throws IOException if the stream breaks, ends early or holds settings the record
	 * refuses
	 */
	public static WorkerSettings readFrom(DataInput in) throws IOException {
		Duration connectTimeout = readDuration(in);
		Duration readTimeout = readDuration(in);
		DataSize maxResponseSize = DataSize.ofBytes(in.readLong());
		int maxRedirects = in.readInt();
		int maxConnections = in.readInt();
		String userAgent = readText(in);
		List<String> allowedHosts = new ArrayList<>();
		for (int i = readCount(in); i > 0; i--) {
			allowedHosts.add(readText(in));
		}
		boolean blockPrivateNetworks = in.readBoolean();
		Duration dnsTimeout = readDuration(in);
		int maxPerHost = in.readInt();
		int maxInFlight = in.readInt();
		List<Integer> servicePorts = new ArrayList<>();
		for (int i = readCount(in); i > 0; i--) {
			servicePorts.add(in.readInt());
		}
		try {
			return new WorkerSettings(new FetchProperties(connectTimeout, readTimeout, maxResponseSize, maxRedirects,
					maxConnections, userAgent, allowedHosts, blockPrivateNetworks, dnsTimeout, maxPerHost, maxInFlight,
					servicePorts));
		}
		catch (IllegalArgumentException ex) {
			throw new IOException("Invalid worker settings: " + ex.getMessage(), ex);
		}
	}

	private static void writeDuration(DataOutput out, Duration duration) throws IOException {
		out.writeLong(duration.getSeconds());
		out.writeInt(duration.getNano());
	}

	private static Duration readDuration(DataInput in) throws IOException {
		return Duration.ofSeconds(in.readLong(), in.readInt());
	}

	// Not writeUTF: it takes at most 64 KiB, and a user agent may be longer.
	private static void writeText(DataOutput out, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readText(DataInput in) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > MAX_TEXT_BYTES) {
			throw new IOException("Invalid text length " + length + " in worker settings");
		}
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static int readCount(DataInput in) throws IOException {
		int count = in.readInt();
		if (count < 0 || count > MAX_ITEMS) {
			throw new IOException("Invalid list size " + count + " in worker settings");
		}
		return count;
	}

	/**
	 * Gives each worker process, as it starts, the settings it runs its tasks with.
	 */
	@FunctionalInterface
	public interface Source {

		/**
		 * Return the settings of a worker starting now.
		 * @return the settings
		 */
		WorkerSettings current();

	}

}
