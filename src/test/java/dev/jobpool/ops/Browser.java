package dev.jobpool.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's ChromeDriver through Selenium, with a
 * fresh profile, and screenshots saved to {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final Path profile;

	private final ChromeDriver driver;

	private Browser(Path chromium, Path chromedriver) throws IOException {
		this.profile = Files.createTempDirectory("jobpool-chromium-");
		ChromeOptions options = new ChromeOptions();
		// Both paths given: Selenium Manager has nothing to look up or download.
		options.setBinary(chromium.toFile());
		// The flags known to work on this kind of machine: no sandbox as root, and
		// nothing that reaches for the network behind the page's back.
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + this.profile, "--window-size=1280,1000",
				"--lang=en-US");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
	}

	/**
	 * Start a browser, or skip (fail in CI) when Chromium or ChromeDriver is missing.
	 * @return the browser
	 */
	static Browser start() {
		Path chromium = ExternalTools.chromium();
		Path chromedriver = ExternalTools.chromedriver();
		try {
			return new Browser(chromium, chromedriver);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Wait, at most the given time, until the condition holds; an element that went stale
	 * because the page redrew it counts as "not yet".
	 * @param <T> what the condition returns
	 * @param timeout the bound
	 * @param condition a non-null, non-false result ends the wait
	 * @return the condition's result
	 */
	<T> T await(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout, Duration.ofMillis(100))
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	Object script(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	Object asyncScript(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeAsyncScript(script, args);
	}

	/**
	 * Save a screenshot of the whole page, beyond the window's height, to
	 * {@code target/screenshots/NAME.png}.
	 * @param name the file name, without extension
	 * @return the PNG file
	 */
	@SuppressWarnings("unchecked")
	Path screenshot(String name) {
		// Chrome DevTools' own full-page capture: resizing the window is capped by the
		// screen size.
		Map<String, Object> metrics = this.driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
		Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
		double width = ((Number) size.get("width")).doubleValue();
		double height = Math.min(((Number) size.get("height")).doubleValue(), 8000);
		Map<String, Object> shot = this.driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip",
						Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Save a screenshot of what the window shows to {@code target/screenshots/NAME.png}.
	 * @param name the file name, without extension
	 * @return the PNG file
	 */
	Path viewportScreenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
			catch (IOException ex) {
				// A profile left in the temp folder is harmless.
			}
		}
	}

}
