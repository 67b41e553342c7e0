package dev.jobpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A TCP port for a server that a test starts (Redis, Prometheus, the packaged jar): one
 * that was free on every address a moment ago, and so on loopback too.
 */
public final class FreePort {

	private FreePort() {
	}

	/**
	 * Find a port that is free now.
	 * @return the port
	 */
	public static int find() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
