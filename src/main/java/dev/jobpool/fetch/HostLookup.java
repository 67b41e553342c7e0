package dev.jobpool.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks up every address of a host name: A and AAAA records alike.
 */
@FunctionalInterface
interface HostLookup {

	/** The system resolver, which has no timeout of its own. */
	HostLookup SYSTEM = InetAddress::getAllByName;

	/**
	 * Return every address of a host.
	 * @param host a host name
	 * @return its addresses
	 * @throws UnknownHostException if it has none, or the lookup failed
	 */
	InetAddress[] lookup(String host) throws UnknownHostException;

}
