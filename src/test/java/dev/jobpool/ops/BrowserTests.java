package dev.jobpool.ops;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real browser against the running service: Swagger UI submits a job, and the dashboard
 * at {@code /} runs the classic three sums on every executor, follows each job live and
 * charts them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTests {

	private static final Duration PAGE = Duration.ofSeconds(30);

	private static final List<String> EXECUTORS = List.of("sequential", "platform", "virtual", "process", "spawn");

	@LocalServerPort
	private int port;

	private Browser browser;

	private WebDriver web;

	@BeforeAll
	void startBrowser() {
		this.browser = Browser.start();
		this.web = this.browser.driver();
	}

	@AfterAll
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@BeforeEach
	void blankPage() {
		this.web.get("about:blank");
	}

	@Test
	void swaggerUiTriesOutTheSumEndpoint() {
		this.web.get(url("/swagger-ui.html"));
		WebElement operation = this.browser.await(PAGE,
				ExpectedConditions.visibilityOfElementLocated(By.id("operations-jobs-submitSum")));
		operation.findElement(By.cssSelector(".opblock-summary")).click();

		WebElement tryItOut = this.browser.await(PAGE, clickable(operation, "button.try-out__btn"));
		// With springdoc's try-it-out-enabled the panel opens ready, and the same button
		// cancels.
		if (operation.findElements(By.cssSelector("button.execute")).isEmpty()) {
			assertThat(tryItOut.getText()).isEqualTo("Try it out");
			tryItOut.click();
		}
		this.browser.await(PAGE, clickable(operation, "button.execute")).click();

		WebElement status = this.browser.await(PAGE,
				(driver) -> operation.findElements(By.cssSelector(".live-responses-table tbody .response-col_status"))
					.stream()
					.filter((cell) -> !cell.getText().isBlank())
					.findFirst()
					.orElse(null));
		assertThat(status.getText()).startsWith("202");
		String body = operation.findElement(By.cssSelector(".live-responses-table tbody .response-col_description pre"))
			.getText();
		JsonNode job = JsonMapper.builder().build().readTree(body);
		assertThat(job.get("id").asString()).hasSize(36);
		assertThat(job.get("type").asString()).isEqualTo("sum");
		assertThat(job.get("progress").get("total").asInt()).isEqualTo(3);
		assertThat(job.get("status").asString()).isIn("queued", "running", "succeeded");
		this.browser.script("arguments[0].scrollIntoView({block: 'center'})", status);
		this.browser.viewportScreenshot("swagger-ui-sum-job");
	}

	@Test
	void dashboardRunsTheClassicSumsOnEveryExecutorAndChartsThem() {
		this.web.get(url("/"));
		this.browser.await(PAGE, (driver) -> driver.findElements(By.cssSelector("#executors tbody tr")).size() >= 5);
		assertThat(
				this.web.findElements(By.cssSelector("#executors tbody tr[data-executor=process] .workers tbody tr")))
			.as("the process executor's worker JVMs")
			.isNotEmpty();

		for (String executor : EXECUTORS) {
			String before = text("#live-id");
			new Select(this.web.findElement(By.id("executor"))).selectByValue(executor);
			this.web.findElement(By.id("submit")).click();
			this.browser.await(Duration.ofSeconds(60),
					(driver) -> !text("#live-id").equals(before) && isFinished(text("#live-status")));

			assertThat(text("#live-status")).as("job on %s", executor).isEqualTo("succeeded");
			assertThat(text("#live-executor")).startsWith(executor);
			assertThat(text("#live-summary")).startsWith("Total 149,999,985,000,000");
			assertThat(this.web.findElements(By.cssSelector("#live-tasks tbody tr"))).hasSize(3)
				.allSatisfy((row) -> assertThat(row.getText()).contains("succeeded", "49,999,995,000,000"));
			// The SSE endpoint exists: the page must have followed the job over it, not
			// by polling.
			assertThat(text("#live-source")).contains("Server-Sent Events").doesNotContain("polling");
		}

		this.browser.await(PAGE,
				(driver) -> EXECUTORS.stream()
					.allMatch((executor) -> !driver
						.findElements(By.cssSelector("#chart g[data-executor=" + executor + "]"))
						.isEmpty()));
		// The chart redraws as results arrive: read its label from the current drawing.
		this.browser.await(PAGE, (driver) -> {
			String label = driver.findElement(By.cssSelector("#chart svg")).getAttribute("aria-label");
			return label != null && EXECUTORS.stream().allMatch(label::contains);
		});
		String newest = text("#live-id");
		this.browser.await(PAGE,
				(driver) -> !driver
					.findElements(By.cssSelector("#jobs tbody tr[data-job='" + newest + "'] .status.succeeded"))
					.isEmpty());
		this.browser.screenshot("dashboard");
	}

	@Test
	void theStatusBadgeShowsRunningWhileTasksEndThenSucceeded() {
		this.web.get(url("/"));
		this.browser.await(PAGE, (driver) -> driver.findElements(By.cssSelector("#executors tbody tr")).size() >= 5);
		this.browser.script("window.badges = [];"
				+ "new MutationObserver(() => window.badges.push(document.querySelector('#live-status').textContent))"
				+ ".observe(document.querySelector('#live-status'), {childList: true, characterData: true, subtree: true});");
		String before = text("#live-id");
		new Select(this.web.findElement(By.id("executor"))).selectByValue("spawn");
		this.web.findElement(By.id("submit")).click();
		this.browser.await(Duration.ofSeconds(90),
				(driver) -> !text("#live-id").equals(before) && isFinished(text("#live-status")));

		Object seen = this.browser.script("return window.badges.join(',')");
		assertThat(String.valueOf(seen).split(",")).as("badges shown: %s", seen)
			.contains("running")
			.endsWith("succeeded");
	}

	@Test
	void dashboardBenchmarksEveryExecutorAndChartsTheMedians() {
		this.web.get(url("/"));
		this.browser.await(PAGE, (driver) -> driver.findElements(By.cssSelector("#executors tbody tr")).size() >= 5);

		this.web.findElement(By.id("benchmark")).click();

		this.browser.await(Duration.ofSeconds(120),
				(driver) -> text("#chart-note").startsWith("Median wall time per executor from benchmark")
						&& text("#chart-note").contains("(succeeded"));
		assertThat(text("#chart-note")).contains("fastest: ");
		assertThat(this.web.findElement(By.cssSelector("#chart svg")).getAttribute("aria-label"))
			.startsWith("Median wall time of a sum job per executor")
			.contains(EXECUTORS);
		assertThat(this.web.findElements(By.cssSelector("#chart g[data-executor]"))).hasSize(EXECUTORS.size());
		this.browser.screenshot("dashboard-benchmark");
	}

	@Test
	void theJobDetailShowsTheStateOfItsCallback() {
		this.web.get(url("/"));
		this.browser.await(PAGE, (driver) -> driver.findElements(By.cssSelector("#executors tbody tr")).size() >= 5);
		assertThat(this.web.findElement(By.id("live-callback")).isDisplayed()).isFalse();
		// The service itself is never called back: the callback deterministically fails
		// as blocked, without being sent.
		String self = url("/api/jobs");
		WebElement callbackUrl = this.web.findElement(By.id("callback-url"));
		callbackUrl.sendKeys(self);
		new Select(this.web.findElement(By.id("executor"))).selectByValue("platform");
		String before = text("#live-id");
		this.web.findElement(By.id("submit")).click();

		this.browser.await(Duration.ofSeconds(60), (driver) -> !text("#live-id").equals(before)
				&& text("#live-callback [data-field=status]").equals("failed"));
		assertThat(text("#live-status")).isEqualTo("succeeded");
		assertThat(this.web.findElement(By.id("live-callback")).isDisplayed()).isTrue();
		assertThat(text("#live-callback [data-field=url]")).isEqualTo(self);
		assertThat(this.web.findElement(By.cssSelector("#live-callback [data-field=status] .status"))
			.getAttribute("class")).contains("failed");
		assertThat(text("#live-callback [data-field=attempts]")).isEqualTo("1");
		assertThat(text("#live-callback [data-field=last]")).startsWith("blocked: ").contains("this service itself");
		assertThat(text("#live-callback [data-field=deliveredAt]")).isEqualTo("–");
		assertThat(this.web.findElements(By.cssSelector("#live-tasks tbody tr"))).hasSize(3)
			.allSatisfy((row) -> assertThat(row.getText()).containsPattern("platform-\\S+ @ \\S+"));
	}

	@Test
	void dashboardShowsTheProblemOfARejectedJob() {
		this.web.get(url("/"));
		this.web.findElement(By.cssSelector("input[name=type][value=fetch]")).click();
		WebElement urls = this.browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("urls")));
		urls.clear();
		urls.sendKeys("ftp://ftp.example.org/file.txt");
		this.web.findElement(By.id("submit")).click();

		WebElement problem = this.browser.await(PAGE,
				ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
		assertThat(problem.getText()).contains("invalid_request", "urls[0]");
		assertThat(problem.getAttribute("role")).isEqualTo("alert");
	}

	@Test
	void pageScriptReadsEventStreamsAndKeepsBigIntegersExact() {
		this.web.get(url("/"));
		this.browser.await(PAGE, (driver) -> this.browser.script("return !!window.jobpool"));

		// Split mid-line and with CRLF, a comment and a two-line data field, as a server
		// may send them.
		Object events = this.browser.asyncScript("""
				const done = arguments[arguments.length - 1];
				const text = 'event: task\\ndata: {"index":1}\\n\\n: still running\\n'
				    + 'event: progress\\r\\ndata: {"total":2,\\r\\ndata: "done":1}\\r\\n\\r\\n'
				    + 'event: job\\ndata: {"id":"x"}\\n\\n';
				const bytes = new TextEncoder().encode(text);
				const body = new ReadableStream({ start(c) {
				  c.enqueue(bytes.slice(0, 17)); c.enqueue(bytes.slice(17, 50)); c.enqueue(bytes.slice(50)); c.close();
				} });
				const seen = [];
				window.jobpool.readEventStream(body, (name, data) => seen.push(name + '=' + data))
				  .then(() => done(seen), (e) => done('error: ' + e));
				""");
		assertThat(events).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactly("task={\"index\":1}", "progress={\"total\":2,\n\"done\":1}", "job={\"id\":\"x\"}");

		Object sum = this.browser.script("return window.jobpool.parseJson('{\"result\":9244999997850000000}').result");
		assertThat(sum).hasToString("9244999997850000000");
	}

	/**
	 * A shown and enabled element inside another, once there is one (the wait ignores its
	 * absence).
	 */
	private static Function<WebDriver, WebElement> clickable(WebElement scope, String selector) {
		return (driver) -> {
			WebElement element = scope.findElement(By.cssSelector(selector));
			return (element.isDisplayed() && element.isEnabled()) ? element : null;
		};
	}

	private String text(String selector) {
		// textContent, not getText(): the live panel's fields are read before it is shown
		// too.
		String text = this.web.findElement(By.cssSelector(selector)).getDomProperty("textContent");
		return (text != null) ? text.trim() : "";
	}

	private static boolean isFinished(String status) {
		return List.of("succeeded", "failed", "cancelled").contains(status);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
