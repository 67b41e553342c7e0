package dev.jobpool.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves the host of every connection the fetcher opens, IP literals included, once per
 * connection, and lets the {@link FetchGuard} vet every address: the client then connects
 * to exactly the addresses returned here, and to nothing when the guard refuses the host.
 */
final class FetchDnsResolver implements DnsResolver {

	private final FetchGuard guard;

	FetchDnsResolver(FetchGuard guard) {
		this.guard = guard;
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		// Without the port, any address of this host could be the service: the guard
		// refuses them all while the service's ports are known.
		return this.guard.vet(host, FetchGuard.ANY_PORT).toArray(InetAddress[]::new);
	}

	@Override
	public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
		// The connection operator calls this variant, with the port it is about to
		// connect to.
		return this.guard.vet(host, port).stream().map((address) -> new InetSocketAddress(address, port)).toList();
	}

	@Override
	public String resolveCanonicalHostname(String host) {
		// Only Kerberos authentication asks for this, and it is disabled: answer without
		// a lookup that nothing would vet.
		return host;
	}

}
