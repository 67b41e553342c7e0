package dev.jobpool.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import dev.jobpool.execution.ExecutorKind;
import dev.jobpool.job.JobType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The SVG chart drawn from a benchmark's view: well-formed, labelled, text escaped.
 */
class BenchmarkChartTests {

	private static final String SVG = "http://www.w3.org/2000/svg";

	@Test
	void aFinishedBenchmarkShowsEachExecutorWithItsMedianAndSpeedup() throws Exception {
		BenchmarkView view = view(BenchmarkStatus.SUCCEEDED, null, ExecutorKind.PLATFORM, null,
				result(ExecutorKind.SEQUENTIAL, 1200.4, 1100, 1300, 1.0),
				result(ExecutorKind.PLATFORM, 610.25, 600, 650, 1.97),
				result(ExecutorKind.SPAWN, 2400, 2300, 2600, 0.5));

		Document svg = parse(BenchmarkChart.render(view));

		List<String> texts = texts(svg);
		assertThat(texts).contains("sequential", "platform", "spawn", "Fastest: platform, 1.97× as fast as sequential")
			.contains("Sum job, 3 tasks of n = 10,000,000: wall time by executor")
			.contains("1,200 ms  baseline", "610.3 ms  1.97× vs sequential  ★ fastest", "2,400 ms  0.50× vs sequential")
			.contains("0", "1,000", "2,000", "3,000");
		NodeList rects = svg.getElementsByTagNameNS(SVG, "rect");
		assertThat(rects.getLength()).isEqualTo(1 + 3);
		// The bars are proportional to the medians, on a scale that ends at 3,000 ms.
		double sequential = Double.parseDouble(rects.item(1).getAttributes().getNamedItem("width").getNodeValue());
		double spawn = Double.parseDouble(rects.item(3).getAttributes().getNamedItem("width").getNodeValue());
		assertThat(spawn / sequential).isBetween(1.95, 2.05);
		assertThat(rects.item(2).getAttributes().getNamedItem("fill").getNodeValue()).isEqualTo("#2e7d32");
	}

	@Test
	void anUnfinishedBenchmarkShowsWhatIsDoneAndWhatWaits() throws Exception {
		BenchmarkView view = view(BenchmarkStatus.RUNNING, null, ExecutorKind.SEQUENTIAL, ExecutorKind.PLATFORM,
				result(ExecutorKind.SEQUENTIAL, 12, 11, 13, 1.0), empty(ExecutorKind.PLATFORM),
				empty(ExecutorKind.VIRTUAL));

		List<String> texts = texts(parse(BenchmarkChart.render(view)));

		assertThat(texts).contains("running…", "waiting")
			.contains("Running: 4 of 12 runs done (warm-ups included), now on platform")
			.contains("12.0 ms  baseline  ★ fastest so far");
	}

	@Test
	void textIsEscaped() throws Exception {
		BenchmarkView view = view(BenchmarkStatus.FAILED, "run 1 of 3 on platform: <b>\"broke\"</b> & 'more'\u0001",
				null, null, empty(ExecutorKind.PLATFORM));

		String svg = BenchmarkChart.render(view);

		assertThat(svg).doesNotContain("<b>").contains("&lt;b&gt;&quot;broke&quot;&lt;/b&gt; &amp; &apos;more&apos;");
		assertThat(texts(parse(svg))).contains("Failed: run 1 of 3 on platform: <b>\"broke\"</b> & 'more'", "not run",
				"no run has ended yet");
	}

	@Test
	void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
		assertThat(BenchmarkChart.niceStep(0.03)).isCloseTo(0.05, offset(1e-12));
		assertThat(BenchmarkChart.niceStep(1.5)).isEqualTo(2);
		assertThat(BenchmarkChart.niceStep(240)).isEqualTo(500);
		assertThat(BenchmarkChart.niceStep(1000)).isEqualTo(1000);
		assertThat(BenchmarkChart.number(1234.5)).isEqualTo("1,235");
		assertThat(BenchmarkChart.number(12.345)).isEqualTo("12.3");
		assertThat(BenchmarkChart.number(0.1234)).isEqualTo("0.12");
	}

	private static BenchmarkView view(BenchmarkStatus status, String reason, ExecutorKind winner,
			ExecutorKind runningOn, BenchmarkView.ExecutorResult... results) {
		List<ExecutorKind> executors = new ArrayList<>();
		for (BenchmarkView.ExecutorResult result : results) {
			executors.add(result.executor());
		}
		BenchmarkView.JobRequestView job = new BenchmarkView.JobRequestView(JobType.SUM, 3,
				List.of(10_000_000L, 10_000_000L, 10_000_000L), null, null, 60_000);
		return new BenchmarkView("b-1", status, reason, new BenchmarkView.RequestView(job, executors, 3, 1),
				Instant.now(), Instant.now(), null, new BenchmarkView.Progress(results.length * 4, 4, runningOn, null),
				List.of(results), winner, "/api/benchmarks/b-1/chart.svg");
	}

	private static BenchmarkView.ExecutorResult result(ExecutorKind executor, double median, double min, double max,
			double speedup) {
		return new BenchmarkView.ExecutorResult(executor, 3, median, min, max, 1.0, speedup, List.of(min, median, max),
				List.of("a", "b", "c"), List.of("w"));
	}

	private static BenchmarkView.ExecutorResult empty(ExecutorKind executor) {
		return new BenchmarkView.ExecutorResult(executor, 0, null, null, null, null, null, List.of(), List.of(),
				List.of());
	}

	private static Document parse(String svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<String> texts(Document svg) {
		NodeList nodes = svg.getElementsByTagNameNS(SVG, "text");
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent());
		}
		return texts;
	}

}
