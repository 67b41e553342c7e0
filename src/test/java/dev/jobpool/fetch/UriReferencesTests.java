package dev.jobpool.fetch;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UriReferences}: the examples of RFC 3986, section 5.4, and IPv6
 * literals, which must come out as the hosts they are.
 */
class UriReferencesTests {

	private static final URI BASE = URI.create("http://a/b/c/d;p?q");

	@ParameterizedTest
	@CsvSource(delimiter = ' ',
			value = { "g:h g:h", "g http://a/b/c/g", "./g http://a/b/c/g", "g/ http://a/b/c/g/", "/g http://a/g",
					"//g http://g", "?y http://a/b/c/d;p?y", "g?y http://a/b/c/g?y", "#s http://a/b/c/d;p?q#s",
					"g#s http://a/b/c/g#s", "g?y#s http://a/b/c/g?y#s", ";x http://a/b/c/;x", "g;x http://a/b/c/g;x",
					"g;x?y#s http://a/b/c/g;x?y#s", ". http://a/b/c/", "./ http://a/b/c/", ".. http://a/b/",
					"../ http://a/b/", "../g http://a/b/g", "../.. http://a/", "../../ http://a/", "../../g http://a/g",
					"../../../g http://a/g", "../../../../g http://a/g", "/./g http://a/g", "/../g http://a/g",
					"g. http://a/b/c/g.", ".g http://a/b/c/.g", "g.. http://a/b/c/g..", "..g http://a/b/c/..g",
					"./../g http://a/b/g", "./g/. http://a/b/c/g/", "g/./h http://a/b/c/g/h", "g/../h http://a/b/c/h",
					"g;x=1/./y http://a/b/c/g;x=1/y", "g;x=1/../y http://a/b/c/y", "g?y/./x http://a/b/c/g?y/./x",
					"g#s/../x http://a/b/c/g#s/../x", "http:g http:g" })
	void resolvesTheExamplesOfRfc3986(String reference, String expected) throws Exception {
		assertThat(UriReferences.resolve(BASE, reference)).hasToString(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = ' ',
			value = { "http://[::ffff:127.0.0.2]:8080/x http://[::ffff:127.0.0.2]:8080/x [::ffff:127.0.0.2]",
					"//[::ffff:127.0.0.2]/x http://[::ffff:127.0.0.2]/x [::ffff:127.0.0.2]",
					"http://[64:ff9b::127.0.0.1]/ http://[64:ff9b::127.0.0.1]/ [64:ff9b::127.0.0.1]",
					"http://[::1]:9/ok?q=%20 http://[::1]:9/ok?q=%20 [::1]",
					"http://[fe80::1%25eth0]/ http://[fe80::1%25eth0]/ [fe80::1%25eth0]" })
	void keepsIpv6LiteralsAsTheirHost(String reference, String expected, String host) throws Exception {
		URI resolved = UriReferences.resolve(URI.create("http://127.0.0.1:1/redirect"), reference);
		assertThat(resolved).hasToString(expected);
		assertThat(resolved.getHost()).isEqualTo(host);
	}

	@ParameterizedTest
	@CsvSource(delimiter = ' ', value = { "/ok http://[::ffff:127.0.0.2]:8080/ok",
			"?q=1 http://[::ffff:127.0.0.2]:8080/a/b?q=1", "c http://[::ffff:127.0.0.2]:8080/a/c" })
	void resolvesRelativeReferencesAgainstAnIpv6Base(String reference, String expected) throws Exception {
		URI resolved = UriReferences.resolve(URI.create("http://[::ffff:127.0.0.2]:8080/a/b"), reference);
		assertThat(resolved).hasToString(expected);
		assertThat(resolved.getHost()).isEqualTo("[::ffff:127.0.0.2]");
	}

}
