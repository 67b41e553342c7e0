package dev.jobpool.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The PromQL tokenizer that the Grafana dashboard test relies on.
 */
class PromQlMetricNamesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					jvm_threads_live_threads                                                        | jvm_threads_live_threads
					sum(increase(jobpool_jobs_submitted_total[15m]))                                | jobpool_jobs_submitted_total
					sum(increase(jobpool_jobs_completed_total{status="failed"}[15m]))               | jobpool_jobs_completed_total
					histogram_quantile(0.95, sum by (le, executor) (rate(a_bucket[5m])))            | a_bucket
					sum by (type, executor) (rate(a_sum[1m])) / sum by (type, executor) (rate(a_count[1m])) | a_sum a_count
					sum without (instance) (rate(http_server_requests_seconds_count{uri!~"/act.*"}[$__rate_interval])) | http_server_requests_seconds_count
					max_over_time(process_cpu_usage[10m:1m] offset 5m) > bool 0.5                   | process_cpu_usage
					a * on (job) group_left (version) b                                             | a b
					{__name__="jobpool_jobs_active", type='sum'}                                    | jobpool_jobs_active
					rate(x[${__range}]) or vector(0)                                                | x
					sum(jobpool:jobs:rate5m) by (executor)                                          | jobpool:jobs:rate5m
					topk(3, count by (status) (foo)) unless bar                                     | foo bar
					""")
	void findsTheMetricNames(String expr, String expected) {
		assertThat(PromQlMetricNames.in(expr)).containsExactly(expected.split(" "));
	}

	@Test
	void labelValuesAndStringsAreNotMetrics() {
		assertThat(PromQlMetricNames.in("label_replace(up{job=\"jobpool\"}, \"dst\", \"$1\", \"instance\", \"(.*)\")"))
			.containsExactly("up");
	}

	@Test
	void unterminatedStringsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> PromQlMetricNames.in("up{job=\"x}"));
	}

}
