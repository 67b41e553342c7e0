package dev.jobpool.fetch;

import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Thrown when a host's DNS lookup gets no answer within
 * {@code jobpool.fetch.dns-timeout}: the fetch fails rather than waiting on, or trying
 * some other way.
 */
final class DnsLookupTimedOut extends UnknownHostException {

	DnsLookupTimedOut(String host, Duration timeout) {
		super("DNS lookup of " + host + " timed out after " + timeout.toMillis() + " ms");
	}

}
