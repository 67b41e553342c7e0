package dev.jobpool.execution.web;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.execution.ExecutorLoad;
import dev.jobpool.execution.ExecutorRegistry;
import dev.jobpool.execution.TaskExecutor;
import dev.jobpool.execution.TaskSubmission;
import dev.jobpool.web.WebSliceConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * The HTTP contract of {@link ExecutorController} alone: the web layer with a mocked
 * {@link ExecutorRegistry}.
 */
@WebMvcTest(ExecutorController.class)
@Import(WebSliceConfiguration.class)
class ExecutorControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private ExecutorRegistry executors;

	@Test
	void listsEachExecutorWithItsSizeAndLoad() {
		ExecutorLoad platformLoad = new ExecutorLoad();
		platformLoad.accepted(5);
		platformLoad.started();
		platformLoad.started();
		platformLoad.finished();
		given(this.executors.all()).willReturn(List.of(new Fixed(ExecutorKind.SEQUENTIAL, 1, new ExecutorLoad()),
				new Fixed(ExecutorKind.PLATFORM, 4, platformLoad)));

		assertThat(this.mvc.get().uri("/api/executors")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"executors": [
				  {"name": "sequential", "kind": "thread", "size": 1, "activeTasks": 0, "queuedTasks": 0,
				   "completedTasks": 0},
				  {"name": "platform", "kind": "thread", "size": 4, "activeTasks": 1, "queuedTasks": 3,
				   "completedTasks": 1}
				]}""");
	}

	@Test
	void threadExecutorsLeaveOutTheirWorkers() {
		given(this.executors.all()).willReturn(List.of(new Fixed(ExecutorKind.VIRTUAL, 100, new ExecutorLoad())));

		assertThat(this.mvc.get().uri("/api/executors")).hasStatusOk()
			.bodyJson()
			.doesNotHavePath("$.executors[0].workers")
			.hasPathSatisfying("$.executors[0].kind", (kind) -> kind.assertThat().isEqualTo("virtual"));
	}

	@Test
	void otherMethodsAreNotAllowed() {
		assertThat(this.mvc.post().uri("/api/executors")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
			.bodyJson()
			.hasPathSatisfying("$.code", (code) -> code.assertThat().isEqualTo("method_not_allowed"));
	}

	/** An executor that only reports its kind, size and load. */
	private record Fixed(ExecutorKind kind, int size, ExecutorLoad load) implements TaskExecutor {

		@Override
		public void submit(TaskSubmission submission) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void shutdown(Duration grace) {
		}

	}

}
