package dev.jobpool.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provisioned Grafana dashboard, {@code ops/grafana/dashboards/jobpool.json}, as the
 * tests read it: its panels (nested rows included) and their PromQL queries.
 */
final class GrafanaDashboard {

	static final Path PATH = Path.of("ops/grafana/dashboards/jobpool.json");

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");

	private GrafanaDashboard() {
	}

	/**
	 * Read the dashboard.
	 * @return its JSON
	 */
	static JsonNode read() {
		try {
			return JsonMapper.builder().build().readTree(Files.readString(PATH));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return every panel, those nested in collapsed rows included.
	 * @param dashboard the dashboard's JSON
	 * @return the panels, in order
	 */
	static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		collect(dashboard.path("panels"), panels);
		return panels;
	}

	private static void collect(JsonNode nodes, List<JsonNode> panels) {
		for (JsonNode panel : nodes) {
			panels.add(panel);
			collect(panel.path("panels"), panels);
		}
	}

	/**
	 * Return every panel's non-blank queries.
	 * @param dashboard the dashboard's JSON
	 * @return the queries, in order
	 */
	static List<Query> queries(JsonNode dashboard) {
		List<Query> queries = new ArrayList<>();
		for (JsonNode panel : panels(dashboard)) {
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				if (!expr.isBlank()) {
					queries.add(new Query(panel.path("title").asString("?"), target.path("refId").asString("?"), expr,
							target.path("legendFormat").asString("")));
				}
			}
		}
		return queries;
	}

	/**
	 * One query of a panel.
	 *
	 * @param panel the panel's title
	 * @param refId the query's id within the panel
	 * @param expr the PromQL expression
	 * @param legendFormat how Grafana names each series, {@code {{label}}} for a label's
	 * value
	 */
	record Query(String panel, String refId, String expr, String legendFormat) {

		/** The panel's title and the query's refId, to name the query in messages. */
		String name() {
			return this.panel + " / " + this.refId;
		}

		/** The metric names the expression reads. */
		Set<String> metricNames() {
			return PromQlMetricNames.in(this.expr);
		}

		/** The labels that the legend format names. */
		List<String> legendLabels() {
			List<String> labels = new ArrayList<>();
			Matcher label = LEGEND_LABEL.matcher(this.legendFormat);
			while (label.find()) {
				labels.add(label.group(1));
			}
			return labels;
		}

	}

}
