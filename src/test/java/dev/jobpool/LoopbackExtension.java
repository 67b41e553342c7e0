package dev.jobpool;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The service of a {@code RANDOM_PORT} test over real HTTP, and a
 * {@link LoopbackHttpServer} for its fetch jobs to fetch from, set up once per test
 * class:
 *
 * <pre class="code">
 * &#64;SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
 * class SomeTests {
 *
 * 	&#64;RegisterExtension
 * 	static final LoopbackExtension loopback = new LoopbackExtension();
 *
 * 	&#64;Test
 * 	void fetches() {
 * 		loopback.api().post("/api/jobs/fetch", "{\"urls\":[\"" + loopback.pages().url("/delay") + "\"]}");
 * 	}
 *
 * }
 * </pre>
 *
 * The port is read from the test's application context before any {@code @BeforeAll}
 * method runs. The page server starts on the first call of {@link #pages()} and stops
 * after the class's last test.
 */
public final class LoopbackExtension implements BeforeAllCallback, AfterAllCallback {

	private volatile int port;

	private volatile @Nullable ApiClient api;

	private @Nullable LoopbackHttpServer pages;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.port = SpringExtension.getApplicationContext(context)
			.getEnvironment()
			.getRequiredProperty("local.server.port", Integer.class);
		this.api = new ApiClient(this.port);
	}

	/**
	 * Return the port the service listens on.
	 * @return the port on 127.0.0.1
	 */
	public int port() {
		if (this.port == 0) {
			throw new IllegalStateException("The service's port is known once the test class has started");
		}
		return this.port;
	}

	/**
	 * Return a client of the service.
	 * @return the client, the same for every test of the class
	 */
	public ApiClient api() {
		ApiClient api = this.api;
		if (api == null) {
			throw new IllegalStateException("The service's client is ready once the test class has started");
		}
		return api;
	}

	/**
	 * Return the page server, starting it on the first call.
	 * @return the server, the same for every test of the class
	 */
	public synchronized LoopbackHttpServer pages() {
		if (this.pages == null) {
			try {
				this.pages = new LoopbackHttpServer();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return this.pages;
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		if (this.pages != null) {
			this.pages.close();
			this.pages = null;
		}
		this.api = null;
		this.port = 0;
	}

}
