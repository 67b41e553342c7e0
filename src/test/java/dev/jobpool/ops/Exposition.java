package dev.jobpool.ops;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jobpool.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's Prometheus exposition ({@code /actuator/prometheus}) in the classic text
 * format, as Prometheus and promtool read it.
 */
final class Exposition {

	static final String PATH = "/actuator/prometheus";

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private Exposition() {
	}

	/**
	 * Scrape the service once.
	 * @param api a client of the service
	 * @return the exposition text
	 */
	static String scrape(ApiClient api) {
		// The classic text format, not OpenMetrics: promtool 2.x lints only that.
		ApiClient.Response response = api
			.send(HttpRequest.newBuilder(api.uri(PATH)).header("Accept", "text/plain;version=0.0.4").GET());
		assertThat(response.status()).as("GET %s", PATH).isEqualTo(200);
		assertThat(response.contentType()).startsWith("text/plain");
		return response.body();
	}

	/**
	 * Return the name of every sample's series, histogram suffixes included.
	 * @param text an exposition
	 * @return the names, in order of appearance
	 */
	static Set<String> seriesNames(String text) {
		Set<String> names = new LinkedHashSet<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (!line.startsWith("#") && sample.find()) {
				names.add(sample.group(1));
			}
		}
		return names;
	}

	/**
	 * Add up a metric's samples by the value of one label, as
	 * {@code sum by (label) (metric)}.
	 * @param text an exposition
	 * @param metric the series name
	 * @param label the label to group by
	 * @return the sums by label value
	 */
	static Map<String, Double> sumBy(String text, String metric, String label) {
		Map<String, Double> sums = new HashMap<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.find() || !sample.group(1).equals(metric)) {
				continue;
			}
			Map<String, String> labels = new HashMap<>();
			Matcher pair = LABEL.matcher((sample.group(3) != null) ? sample.group(3) : "");
			while (pair.find()) {
				labels.put(pair.group(1), pair.group(2));
			}
			sums.merge(labels.getOrDefault(label, ""), Double.parseDouble(sample.group(4)), Double::sum);
		}
		return sums;
	}

}
