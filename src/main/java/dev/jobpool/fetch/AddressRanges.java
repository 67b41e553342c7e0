package dev.jobpool.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The address ranges a fetch may not reach unless allowed: this host, private and
 * link-local networks (cloud metadata services live at 169.254.169.254), carrier-grade
 * NAT, multicast, documentation and reserved blocks, and the IPv6 transition prefixes
 * that tunnel to any IPv4 address. An IPv6 address that carries an IPv4 one
 * ({@code ::ffff:a.b.c.d}, {@code ::a.b.c.d}) is judged as that IPv4 address.
 */
final class AddressRanges {

	private static final List<Range> IPV4 = List.of(range("0.0.0.0/8", "this network"),
			range("10.0.0.0/8", "private network"), range("100.64.0.0/10", "shared address space"),
			range("127.0.0.0/8", "loopback"), range("169.254.0.0/16", "link-local"),
			range("172.16.0.0/12", "private network"), range("192.0.0.0/24", "IETF protocol assignments"),
			range("192.0.2.0/24", "documentation"), range("192.88.99.0/24", "6to4 relay anycast"),
			range("192.168.0.0/16", "private network"), range("198.18.0.0/15", "benchmarking"),
			range("198.51.100.0/24", "documentation"), range("203.0.113.0/24", "documentation"),
			range("224.0.0.0/4", "multicast"), range("255.255.255.255/32", "broadcast"),
			range("240.0.0.0/4", "reserved"));

	private static final List<Range> IPV6 = List.of(range("::/128", "unspecified"), range("::1/128", "loopback"),
			range("64:ff9b::/96", "NAT64"), range("64:ff9b:1::/48", "local NAT64"), range("100::/64", "discard-only"),
			range("2001::/32", "Teredo"), range("2001:db8::/32", "documentation"), range("2002::/16", "6to4"),
			range("fc00::/7", "unique local"), range("fe80::/10", "link-local"), range("fec0::/10", "site-local"),
			range("ff00::/8", "multicast"));

	private AddressRanges() {
	}

	/**
	 * Return the blocked range the address is in.
	 * @param address the address to judge
	 * @return the range, or {@code null} if the address is in none
	 */
	static @Nullable Range blockedRange(InetAddress address) {
		InetAddress judged = effective(address);
		for (Range range : (judged instanceof Inet6Address) ? IPV6 : IPV4) {
			if (range.cidr().contains(judged)) {
				return range;
			}
		}
		return null;
	}

	/**
	 * Return the IPv4 address an IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-compatible
	 * ({@code ::a.b.c.d}) IPv6 address carries, or the address itself. {@code ::} and
	 * {@code ::1} stay as they are.
	 * @param address the address
	 * @return the address to judge
	 */
	static InetAddress effective(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address;
		}
		byte[] bytes = address.getAddress();
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return address;
			}
		}
		boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
		boolean unspecifiedOrLoopback = (bytes[12] | bytes[13] | bytes[14]) == 0 && (bytes[15] == 0 || bytes[15] == 1);
		boolean compatible = bytes[10] == 0 && bytes[11] == 0 && !unspecifiedOrLoopback;
		if (!mapped && !compatible) {
			return address;
		}
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an IPv4 address", ex);
		}
	}

	private static Range range(String cidr, String name) {
		return new Range(Cidr.parse(cidr), name);
	}

	/**
	 * A blocked range of addresses.
	 *
	 * @param cidr the addresses
	 * @param name what the range is for, as shown in a task's error
	 */
	record Range(Cidr cidr, String name) {

		@Override
		public String toString() {
			return this.name + " " + this.cidr;
		}

	}

}
