package dev.jobpool.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves the host of every connection the fetcher opens, IP literals included, once per
 * connection: the client then connects to exactly the addresses returned here. This is where the
 * addresses of a host are to be vetted before any connection is made to them.
 */
final class FetchDnsResolver implements DnsResolver {

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		InetAddress[] addresses = InetAddress.getAllByName(host);
		if (addresses.length == 0) {
			throw new UnknownHostException(host);
		}
		return addresses;
	}

	@Override
	public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
		// The connection operator calls this variant: answer from the same lookup rather than
		// letting the interface default fall back to an unresolved address.
		return Arrays.stream(resolve(host)).map((address) -> new InetSocketAddress(address, port)).toList();
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
	}

}
