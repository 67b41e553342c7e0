package dev.jobpool.fetch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The hosts let through although their addresses are in a blocked range, from
 * {@code jobpool.fetch.allowed-hosts}: names, matched exactly against the URL's host, and
 * blocks of addresses ({@code 10.1.0.0/16}, or one address such as {@code 127.0.0.1}),
 * matched against every address the host resolves to.
 */
final class AllowedHosts {

	private final Set<String> names;

	private final List<Cidr> blocks;

	private AllowedHosts(Set<String> names, List<Cidr> blocks) {
		this.names = Set.copyOf(names);
		this.blocks = List.copyOf(blocks);
	}

	/**
	 * Parse the entries of {@code jobpool.fetch.allowed-hosts}.
	 * @param entries host names, IP addresses and CIDR blocks
	 * @return the allowed hosts
	 * @throws IllegalArgumentException naming the first entry that is none of these
	 */
	static AllowedHosts parse(List<String> entries) {
		Set<String> names = new HashSet<>();
		List<Cidr> blocks = new ArrayList<>();
		for (String entry : entries) {
			String text = entry.strip();
			try {
				if (text.contains("/")) {
					blocks.add(Cidr.parse(text));
					continue;
				}
				switch (Hosts.parse(text)) {
					case Hosts.Host.Literal(InetAddress address) -> blocks.add(Cidr.parse(address.getHostAddress()));
					case Hosts.Host.Name(String name) -> names.add(name);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"'" + entry + "' is neither a host name nor an IP address or CIDR block", ex);
			}
		}
		return new AllowedHosts(names, blocks);
	}

	/**
	 * Return whether a blocked address may be fetched all the same.
	 * @param name the URL's host name, or {@code null} if the URL gave an address
	 * @param address one address of the host
	 * @return {@code true} if the name or the address is allowed
	 */
	boolean allows(@Nullable String name, InetAddress address) {
		if (name != null && this.names.contains(name)) {
			return true;
		}
		InetAddress judged = AddressRanges.effective(address);
		return this.blocks.stream().anyMatch((block) -> block.contains(judged));
	}

}
