package dev.jobpool.ops;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an API key set on the service, the dashboard asks for it on the first 401, keeps
 * it in local storage and sends it on every call, the job's event stream included (read
 * with fetch(), since EventSource cannot send headers).
 */
// The same key as ApiKeyTests, so that both classes share one application context.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "jobpool.security.api-key=s3cret-key")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiKeyTests {

	private static final Duration PAGE = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	private Browser browser;

	@BeforeAll
	void startBrowser() {
		this.browser = Browser.start();
	}

	@AfterAll
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void dashboardAsksForTheKeyThenRunsAJobWithIt() {
		WebDriver web = this.browser.driver();
		web.get("http://127.0.0.1:" + this.port + "/");

		WebElement panel = this.browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("key-panel")));
		assertThat(panel.findElement(By.id("key-message")).getText()).contains("401");
		assertThat(web.switchTo().activeElement().getAttribute("id")).isEqualTo("key-input");
		assertThat(web.findElements(By.cssSelector("#executors tbody tr"))).isEmpty();

		web.findElement(By.id("key-input")).sendKeys("s3cret-key");
		web.findElement(By.cssSelector("#key-form button[type=submit]")).click();
		assertThat(this.browser.script("return localStorage.getItem('jobpool.apiKey')")).isEqualTo("s3cret-key");
		assertThat(web.findElement(By.id("key-state")).getText()).isEqualTo("set");
		this.browser.await(PAGE, (driver) -> driver.findElements(By.cssSelector("#executors tbody tr")).size() >= 5);

		new Select(web.findElement(By.id("executor"))).selectByValue("platform");
		web.findElement(By.id("submit")).click();
		this.browser.await(Duration.ofSeconds(60),
				(driver) -> "succeeded".equals(driver.findElement(By.id("live-status")).getText()));
		assertThat(web.findElement(By.id("form-error")).isDisplayed()).isFalse();
		assertThat(web.findElement(By.id("live-source")).getText()).contains("Server-Sent Events", "fetch")
			.doesNotContain("polling");
		assertThat(web.findElements(By.cssSelector("#live-tasks tbody tr"))).hasSize(3);
		this.browser.script("localStorage.removeItem('jobpool.apiKey')");
	}

}
