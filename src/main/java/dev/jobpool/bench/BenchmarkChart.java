package dev.jobpool.bench;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.jobpool.execution.ExecutorKind;

/**
 * Draws a benchmark as an SVG bar chart: one bar per executor, its length the median wall
 * time of a run, a whisker from the shortest to the longest run, the value and the
 * speedup against {@code sequential} beside it, the fastest executor in another colour.
 * Plain SVG text built here, with every piece of text escaped: no browser and no library
 * draws it.
 */
final class BenchmarkChart {

	private static final int MIN_WIDTH = 900;

	/**
	 * A generous average width of a 13 px character, to size the chart to its longest
	 * line.
	 */
	private static final double CHAR_WIDTH = 7.5;

	/** The shortest bar drawn, so that a run far faster than the others still shows. */
	private static final double MIN_BAR = 3;

	private static final int LABEL_RIGHT = 112;

	private static final int PLOT_LEFT = 124;

	private static final int PLOT_RIGHT = 584;

	private static final int TEXT_LEFT = 600;

	private static final int ROWS_TOP = 96;

	private static final int ROW_HEIGHT = 44;

	private static final int BAR_HEIGHT = 24;

	private static final String BAR = "#5b8db8";

	private static final String WINNER = "#2e7d32";

	private static final String MUTED = "#666666";

	private static final String FAILED = "#b00020";

	private static final int MAX_REASON = 120;

	private BenchmarkChart() {
	}

	/**
	 * Draw a benchmark as it is now: a running one shows the runs done so far.
	 * @param benchmark the benchmark, with its job's inputs
	 * @return the SVG document
	 */
	static String render(BenchmarkView benchmark) {
		List<BenchmarkView.ExecutorResult> results = benchmark.results();
		double top = 0;
		for (BenchmarkView.ExecutorResult result : results) {
			if (result.maxMs() != null) {
				top = Math.max(top, result.maxMs());
			}
		}
		double step = (top > 0) ? niceStep(top / 6) : 1;
		double scaleMax = (top > 0) ? Math.ceil(top / step) * step : 1;
		int axisY = ROWS_TOP + results.size() * ROW_HEIGHT + 4;
		int height = axisY + 52;
		String title = title(benchmark.request());
		// Sized to its longest line: SVG text does not wrap.
		int width = MIN_WIDTH;
		for (BenchmarkView.ExecutorResult result : results) {
			if (result.medianMs() != null) {
				String line = number(result.medianMs()) + " ms" + detail(benchmark, result,
						result.executor() == benchmark.winner(), result.executor() == benchmark.progress().runningOn());
				width = Math.max(width, (int) Math.ceil(TEXT_LEFT + line.length() * CHAR_WIDTH + 16));
			}
		}
		width = Math.max(width, (int) Math.ceil(16 + title.length() * 10.5 + 16));
		if (benchmark.reason() != null) {
			width = Math.max(width,
					(int) Math.ceil(16 + ("Cancelled: " + reason(benchmark)).length() * CHAR_WIDTH + 16));
		}
		StringBuilder svg = new StringBuilder(4096);
		svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
			.append(width)
			.append("\" height=\"")
			.append(height)
			.append("\" viewBox=\"0 0 ")
			.append(width)
			.append(' ')
			.append(height)
			.append("\" role=\"img\" aria-label=\"")
			.append(escape(title))
			.append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\">\n");
		svg.append("<title>").append(escape(title)).append("</title>\n");
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
		text(svg, 16, 30, 18, "#111111", "start", "bold", title);
		text(svg, 16, 52, 13, MUTED, "start", null, subtitle(benchmark.request()));
		status(svg, benchmark);
		if (top > 0) {
			for (double tick = 0; tick <= scaleMax + step / 2; tick += step) {
				double x = x(tick, scaleMax);
				svg.append("<line x1=\"")
					.append(fmt(x))
					.append("\" y1=\"")
					.append(ROWS_TOP - 6)
					.append("\" x2=\"")
					.append(fmt(x))
					.append("\" y2=\"")
					.append(axisY)
					.append("\" stroke=\"#e6e6e6\"/>\n");
				text(svg, x, axisY + 16, 11, MUTED, "middle", null, tick(tick, step));
			}
			text(svg, (PLOT_LEFT + PLOT_RIGHT) / 2.0, axisY + 36, 12, MUTED, "middle", null,
					"median wall time of a run, ms (whisker: fastest to slowest run)");
		}
		else {
			text(svg, PLOT_LEFT + 6, axisY + 20, 12, MUTED, "start", null, "no run has ended yet");
		}
		svg.append("<line x1=\"")
			.append(PLOT_LEFT)
			.append("\" y1=\"")
			.append(ROWS_TOP - 6)
			.append("\" x2=\"")
			.append(PLOT_LEFT)
			.append("\" y2=\"")
			.append(axisY)
			.append("\" stroke=\"#999999\"/>\n");
		for (int i = 0; i < results.size(); i++) {
			row(svg, benchmark, results.get(i), ROWS_TOP + i * ROW_HEIGHT, scaleMax);
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void row(StringBuilder svg, BenchmarkView benchmark, BenchmarkView.ExecutorResult result, int top,
			double scaleMax) {
		ExecutorKind executor = result.executor();
		boolean winner = executor == benchmark.winner();
		boolean runningHere = executor == benchmark.progress().runningOn();
		double center = top + ROW_HEIGHT / 2.0;
		text(svg, LABEL_RIGHT, center + 5, 14, "#111111", "end", winner ? "bold" : null, executor.id());
		Double median = result.medianMs();
		if (median == null) {
			String state = runningHere ? "running…" : benchmark.status().isFinished() ? "not run" : "waiting";
			text(svg, PLOT_LEFT + 8, center + 4, 12, MUTED, "start", null, state);
			return;
		}
		double width = Math.max(MIN_BAR, x(median, scaleMax) - PLOT_LEFT);
		svg.append("<rect x=\"")
			.append(PLOT_LEFT)
			.append("\" y=\"")
			.append(fmt(center - BAR_HEIGHT / 2.0))
			.append("\" width=\"")
			.append(fmt(width))
			.append("\" height=\"")
			.append(BAR_HEIGHT)
			.append("\" rx=\"3\" fill=\"")
			.append(winner ? WINNER : BAR)
			.append("\"><title>")
			.append(escape(executor.id() + ": median " + number(median) + " ms of " + result.runs() + " runs"))
			.append("</title></rect>\n");
		Double min = result.minMs();
		Double max = result.maxMs();
		if (min != null && max != null && max > min) {
			double left = x(min, scaleMax);
			double right = x(max, scaleMax);
			svg.append("<g stroke=\"#222222\" stroke-width=\"1.5\">");
			line(svg, left, center, right, center);
			line(svg, left, center - 6, left, center + 6);
			line(svg, right, center - 6, right, center + 6);
			svg.append("</g>\n");
		}
		svg.append("<text x=\"")
			.append(TEXT_LEFT)
			.append("\" y=\"")
			.append(fmt(center + 5))
			.append("\" font-size=\"13\" fill=\"#111111\"><tspan font-weight=\"bold\">")
			.append(escape(number(median) + " ms"))
			.append("</tspan>");
		String detail = detail(benchmark, result, winner, runningHere);
		if (!detail.isEmpty()) {
			svg.append("<tspan fill=\"")
				.append(winner ? WINNER : MUTED)
				.append("\">")
				.append(escape(detail))
				.append("</tspan>");
		}
		svg.append("</text>\n");
	}

	private static String detail(BenchmarkView benchmark, BenchmarkView.ExecutorResult result, boolean winner,
			boolean runningHere) {
		StringBuilder detail = new StringBuilder();
		Double speedup = result.speedup();
		if (result.executor() == ExecutorKind.SEQUENTIAL && speedup != null) {
			detail.append("  baseline");
		}
		else if (speedup != null) {
			detail.append("  ").append(String.format(Locale.ROOT, "%.2f", speedup)).append("× vs sequential");
		}
		if (winner) {
			detail.append(benchmark.status().isFinished() ? "  ★ fastest" : "  ★ fastest so far");
		}
		if (runningHere || result.runs() < benchmark.request().repeat()) {
			detail.append("  (")
				.append(result.runs())
				.append(" of ")
				.append(benchmark.request().repeat())
				.append(" runs)");
		}
		return detail.toString();
	}

	private static void status(StringBuilder svg, BenchmarkView benchmark) {
		BenchmarkView.Progress progress = benchmark.progress();
		switch (benchmark.status()) {
			case QUEUED -> text(svg, 16, 72, 13, MUTED, "start", null, "Queued behind another benchmark");
			case RUNNING -> text(svg, 16, 72, 13, MUTED, "start", null,
					"Running: " + progress.done() + " of " + progress.total() + " runs done (warm-ups included)"
							+ ((progress.runningOn() != null) ? ", now on " + progress.runningOn().id() : ""));
			case SUCCEEDED -> text(svg, 16, 72, 13, WINNER, "start", "bold", verdict(benchmark));
			case FAILED -> text(svg, 16, 72, 13, FAILED, "start", "bold", "Failed: " + reason(benchmark));
			case CANCELLED -> text(svg, 16, 72, 13, FAILED, "start", "bold", "Cancelled: " + reason(benchmark));
		}
	}

	private static String verdict(BenchmarkView benchmark) {
		ExecutorKind winner = benchmark.winner();
		if (winner == null) {
			return "Succeeded";
		}
		String verdict = "Fastest: " + winner.id();
		for (BenchmarkView.ExecutorResult result : benchmark.results()) {
			if (result.executor() == winner && result.speedup() != null && winner != ExecutorKind.SEQUENTIAL) {
				verdict += String.format(Locale.ROOT, ", %.2f× as fast as sequential", result.speedup());
			}
		}
		return verdict;
	}

	private static String reason(BenchmarkView benchmark) {
		String reason = (benchmark.reason() != null) ? benchmark.reason() : "no reason given";
		return (reason.length() > MAX_REASON) ? reason.substring(0, MAX_REASON) + "…" : reason;
	}

	static String title(BenchmarkView.RequestView request) {
		BenchmarkView.JobRequestView job = request.job();
		return switch (job.type()) {
			case SUM -> "Sum job, " + sumSize(job) + ": wall time by executor";
			case FETCH -> "Fetch job, " + plural(job.size(), "URL")
					+ ((job.concurrency() != null) ? ", concurrency " + job.concurrency() : "")
					+ ": wall time by executor";
		};
	}

	private static String sumSize(BenchmarkView.JobRequestView job) {
		List<Long> numbers = job.numbers();
		if (numbers == null || numbers.isEmpty()) {
			return plural(job.size(), "task");
		}
		long first = numbers.getFirst();
		long least = numbers.stream().mapToLong(Long::longValue).min().orElse(first);
		long most = numbers.stream().mapToLong(Long::longValue).max().orElse(first);
		if (least == most) {
			return String.format(Locale.ROOT, "%s of n = %,d", plural(numbers.size(), "task"), most);
		}
		return String.format(Locale.ROOT, "%s, n from %,d to %,d", plural(numbers.size(), "task"), least, most);
	}

	private static String subtitle(BenchmarkView.RequestView request) {
		return "Median of " + plural(request.repeat(), "counted run") + " per executor after "
				+ plural(request.warmup(), "warm-up") + "; a run lasts from its job's submission to its "
				+ "completion. Shorter is better.";
	}

	private static String plural(int count, String noun) {
		return String.format(Locale.ROOT, "%,d %s%s", count, noun, (count == 1) ? "" : "s");
	}

	private static double x(double ms, double scaleMax) {
		return PLOT_LEFT + ms / scaleMax * (PLOT_RIGHT - PLOT_LEFT);
	}

	/** Return 1, 2 or 5 times a power of ten, the smallest at least {@code rough}. */
	static double niceStep(double rough) {
		double power = Math.pow(10, Math.floor(Math.log10(rough)));
		for (double factor : new double[] { 1, 2, 5, 10 }) {
			if (factor * power >= rough) {
				return factor * power;
			}
		}
		return 10 * power;
	}

	private static String tick(double ms, double step) {
		int decimals = (step >= 1) ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
		return String.format(Locale.ROOT, "%,." + decimals + "f", ms);
	}

	static String number(double ms) {
		if (ms >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", ms);
		}
		if (ms >= 10) {
			return String.format(Locale.ROOT, "%.1f", ms);
		}
		return String.format(Locale.ROOT, "%.2f", ms);
	}

	private static void line(StringBuilder svg, double x1, double y1, double x2, double y2) {
		svg.append("<line x1=\"")
			.append(fmt(x1))
			.append("\" y1=\"")
			.append(fmt(y1))
			.append("\" x2=\"")
			.append(fmt(x2))
			.append("\" y2=\"")
			.append(fmt(y2))
			.append("\"/>");
	}

	private static void text(StringBuilder svg, double x, double y, int size, String fill, String anchor,
			@Nullable String weight, String content) {
		svg.append("<text x=\"")
			.append(fmt(x))
			.append("\" y=\"")
			.append(fmt(y))
			.append("\" font-size=\"")
			.append(size)
			.append("\" fill=\"")
			.append(fill)
			.append("\" text-anchor=\"")
			.append(anchor)
			.append('"');
		if (weight != null) {
			svg.append(" font-weight=\"").append(weight).append('"');
		}
		svg.append('>').append(escape(content)).append("</text>\n");
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * Escape text for XML content and attribute values.
	 * @param text any text
	 * @return the text with {@code & < > " '} escaped and characters XML forbids dropped
	 */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		text.codePoints().forEach((c) -> {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&apos;");
				default -> {
					if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
							|| c >= 0x10000) {
						escaped.appendCodePoint(c);
					}
				}
			}
		});
		return escaped.toString();
	}

}
