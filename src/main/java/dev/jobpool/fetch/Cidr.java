package dev.jobpool.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A block of IP addresses: a network address and how many of its leading bits every
 * address of the block shares.
 *
 * @param network the first address of the block
 * @param prefixLength leading bits shared, up to 32 for IPv4 and 128 for IPv6
 */
record Cidr(InetAddress network, int prefixLength) {

	Cidr {
		int bits = network.getAddress().length * 8;
		if (prefixLength < 0 || prefixLength > bits) {
			throw new IllegalArgumentException("prefix length must be between 0 and " + bits + ": " + prefixLength);
		}
	}

	/**
	 * Parse {@code address/prefix}, or a lone address as a block of one.
	 * @param text for example {@code 10.0.0.0/8}, {@code fc00::/7} or {@code 127.0.0.1}
	 * @return the block
	 * @throws IllegalArgumentException if the text is not a block of addresses
	 */
	static Cidr parse(String text) {
		int slash = text.indexOf('/');
		String address = (slash >= 0) ? text.substring(0, slash) : text;
		InetAddress network = InetAddress.ofLiteral(address.strip());
		int bits = network.getAddress().length * 8;
		int prefixLength = bits;
		if (slash >= 0) {
			try {
				prefixLength = Integer.parseInt(text.substring(slash + 1).strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a prefix length: " + text, ex);
			}
			// ::ffff:10.0.0.0/104 is read as the IPv4 10.0.0.0, so its prefix counts IPv4
			// bits.
			if (network instanceof Inet4Address && address.contains(":")) {
				prefixLength -= 96;
			}
		}
		return new Cidr(network, prefixLength);
	}

	/**
	 * Return whether the address is in this block; an IPv4 address is never in an IPv6
	 * block.
	 * @param address the address
	 * @return {@code true} if its leading bits match
	 */
	boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		byte[] prefix = this.network.getAddress();
		if (candidate.length != prefix.length) {
			return false;
		}
		int full = this.prefixLength / 8;
		for (int i = 0; i < full; i++) {
			if (candidate[i] != prefix[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (candidate[full] & mask) == (prefix[full] & mask);
	}

	@Override
	public String toString() {
		return this.network.getHostAddress() + "/" + this.prefixLength;
	}

}
