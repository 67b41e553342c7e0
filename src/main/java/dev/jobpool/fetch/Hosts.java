package dev.jobpool.fetch;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the host of a URL the way resolvers and browsers do, so that no spelling of an
 * address slips past the checks: {@code 2130706433}, {@code 0x7f.1}, {@code 017700000001}
 * and {@code 127.1} are all {@code 127.0.0.1} to {@code inet_aton}, which the system
 * resolver applies to any name it is given, while the JDK's {@code URI} and
 * {@code InetAddress} read only some of them.
 */
final class Hosts {

	private static final Pattern DECIMAL = Pattern.compile("[0-9]+");

	private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]*");

	private static final Pattern OCTAL = Pattern.compile("0[0-7]+");

	private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

	private Hosts() {
	}

	/**
	 * Parse a host as it appears in a URL: a bracketed IPv6 literal, an IPv4 address in
	 * any {@code inet_aton} spelling, or a name, lowercased and without its trailing dot.
	 * @param host the host, brackets included for IPv6
	 * @return the address or the name
	 * @throws IllegalArgumentException if the host is neither, for example
	 * {@code 256.1.1.1} or {@code foo.1}: a host whose last label is a number must be an
	 * IPv4 address, as browsers require
	 */
	static Host parse(String host) {
		String text = host.strip();
		if (text.startsWith("[") && text.endsWith("]")) {
			return new Host.Literal(ipv6(text.substring(1, text.length() - 1)));
		}
		if (text.contains(":")) {
			return new Host.Literal(ipv6(text));
		}
		text = text.toLowerCase(Locale.ROOT);
		if (text.endsWith(".")) {
			text = text.substring(0, text.length() - 1);
		}
		if (text.isEmpty()) {
			throw new IllegalArgumentException("empty host");
		}
		String[] parts = text.split("\\.", -1);
		if (isNumber(parts[parts.length - 1])) {
			return new Host.Literal(ipv4(parts, host));
		}
		if (!NAME.matcher(text).matches()) {
			throw new IllegalArgumentException("not a valid host name: " + host);
		}
		return new Host.Name(text);
	}

	private static InetAddress ipv6(String literal) {
		// A zone id arrives percent-encoded from a URL: fe80::1%25eth0.
		String text = literal.replace("%25", "%");
		if (!text.contains(":")) {
			throw new IllegalArgumentException("not an IPv6 address: " + literal);
		}
		try {
			return InetAddress.ofLiteral(text);
		}
		catch (IllegalArgumentException ex) {
			int zone = text.indexOf('%');
			if (zone < 0) {
				throw new IllegalArgumentException("not an IPv6 address: " + literal, ex);
			}
			// An unknown zone: the address alone is what the checks judge.
			return InetAddress.ofLiteral(text.substring(0, zone));
		}
	}

	private static boolean isNumber(String part) {
		return DECIMAL.matcher(part).matches() || HEX.matcher(part).matches();
	}

	/**
	 * Read an IPv4 address as {@code inet_aton} does: one to four parts, each decimal,
	 * octal with a leading {@code 0} or hexadecimal with {@code 0x}, the last part
	 * filling the bytes left.
	 */
	private static InetAddress ipv4(String[] parts, String host) {
		if (parts.length > 4) {
			throw new IllegalArgumentException("not a valid IPv4 address: " + host);
		}
		long address = 0;
		for (int i = 0; i < parts.length; i++) {
			BigInteger value = number(parts[i], host);
			boolean last = i == parts.length - 1;
			int bits = last ? 8 * (5 - parts.length) : 8;
			if (value.bitLength() > bits) {
				throw new IllegalArgumentException("not a valid IPv4 address: " + host);
			}
			address = last ? (address << bits) | value.longValue() : (address << 8) | value.longValue();
		}
		byte[] bytes = { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address };
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an IPv4 address", ex);
		}
	}

	private static BigInteger number(String part, String host) {
		if (HEX.matcher(part).matches()) {
			return (part.length() == 2) ? BigInteger.ZERO : new BigInteger(part.substring(2), 16);
		}
		if (OCTAL.matcher(part).matches()) {
			return new BigInteger(part.substring(1), 8);
		}
		if (DECIMAL.matcher(part).matches() && !(part.length() > 1 && part.startsWith("0"))) {
			return new BigInteger(part);
		}
		throw new IllegalArgumentException("not a valid IPv4 address: " + host);
	}

	/**
	 * A parsed host: an address given literally, or a name to resolve.
	 */
	sealed interface Host {

		/**
		 * An IP address written in the URL.
		 *
		 * @param address the address
		 */
		record Literal(InetAddress address) implements Host {

		}

		/**
		 * A host name, lowercased, without a trailing dot.
		 *
		 * @param name the name
		 */
		record Name(String name) implements Host {

		}

	}

}
