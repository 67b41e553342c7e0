package dev.jobpool.fetch;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Hosts} and {@link AddressRanges}: how a URL's host is read and which
 * ranges its address falls in, without any lookup or connection.
 */
class AddressRangesTests {

	@ParameterizedTest(name = "{0} is in {1}")
	@CsvSource(delimiter = '|', textBlock = """
			0.0.0.0                | 0.0.0.0/8
			0.1.2.3                | 0.0.0.0/8
			10.0.0.1               | 10.0.0.0/8
			10.255.255.255         | 10.0.0.0/8
			100.64.0.1             | 100.64.0.0/10
			100.127.255.254        | 100.64.0.0/10
			127.0.0.1              | 127.0.0.0/8
			127.255.255.254        | 127.0.0.0/8
			169.254.169.254        | 169.254.0.0/16
			172.16.0.1             | 172.16.0.0/12
			172.31.255.255         | 172.16.0.0/12
			192.0.0.8              | 192.0.0.0/24
			192.0.2.1              | 192.0.2.0/24
			192.88.99.1            | 192.88.99.0/24
			192.168.1.1            | 192.168.0.0/16
			198.18.0.1             | 198.18.0.0/15
			198.19.255.255         | 198.18.0.0/15
			198.51.100.7           | 198.51.100.0/24
			203.0.113.9            | 203.0.113.0/24
			224.0.0.1              | 224.0.0.0/4
			239.255.255.250        | 224.0.0.0/4
			240.0.0.1              | 240.0.0.0/4
			255.255.255.254        | 240.0.0.0/4
			255.255.255.255        | 255.255.255.255/32
			[::]                   | ::/128
			[::1]                  | ::1/128
			[fc00::1]              | fc00::/7
			[fd12:3456::1]         | fc00::/7
			[fe80::1]              | fe80::/10
			[fe80::1%25eth0]       | fe80::/10
			[febf::1]              | fe80::/10
			[fec0::1]              | fec0::/10
			[ff02::1]              | ff00::/8
			[64:ff9b::7f00:1]      | 64:ff9b::/96
			[64:ff9b::808:808]     | 64:ff9b::/96
			[2001::1]              | 2001::/32
			[2001:0:4136:e378::1]  | 2001::/32
			[2002:7f00:1::1]       | 2002::/16
			[::ffff:127.0.0.1]     | 127.0.0.0/8
			[::ffff:7f00:1]        | 127.0.0.0/8
			[::ffff:10.1.2.3]      | 10.0.0.0/8
			[::ffff:169.254.169.254] | 169.254.0.0/16
			[::127.0.0.1]          | 127.0.0.0/8
			[::10.0.0.1]           | 10.0.0.0/8
			[::0.0.0.5]            | 0.0.0.0/8
			2130706433             | 127.0.0.0/8
			0x7f.1                 | 127.0.0.0/8
			0X7F.0.0.1             | 127.0.0.0/8
			0x7f000001             | 127.0.0.0/8
			017700000001           | 127.0.0.0/8
			0177.0.0.1             | 127.0.0.0/8
			127.1                  | 127.0.0.0/8
			127.0.1                | 127.0.0.0/8
			127.0.0.1.             | 127.0.0.0/8
			0                      | 0.0.0.0/8
			0x                     | 0.0.0.0/8
			3232235777             | 192.168.0.0/16
			0xa9.0xfe.0xa9.0xfe    | 169.254.0.0/16
			0251.0376.0251.0376    | 169.254.0.0/16
			""")
	void classifiesBlockedAddressesInEverySpelling(String host, String range) {
		InetAddress address = literal(host);
		AddressRanges.Range blocked = AddressRanges.blockedRange(address);
		assertThat(blocked).isNotNull();
		assertThat(blocked.cidr()).isEqualTo(Cidr.parse(range));
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255",
			"172.32.0.0", "192.0.1.255", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255",
			"[2606:4700:4700::1111]", "[2a00:1450:4001::200e]", "[::ffff:8.8.8.8]", "[2003::1]", "134744072",
			"0x8.0x8.0x8.0x8" })
	void letsPublicAddressesThrough(String host) {
		assertThat(AddressRanges.blockedRange(literal(host))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "256.1.1.1", "1.2.3.4.5", "foo.1", "example.0x10", "08.0.0.1", "0x100.0.0.1", "1.2.3.256",
			"1.2.65536", "4294967296", "0xg.1", "1..2", "[1.2.3.4]", "[::1::2]", "a b", "exa*mple.com", "" })
	void rejectsHostsThatAreNeitherAnAddressNorAName(String host) {
		assertThatIllegalArgumentException().isThrownBy(() -> Hosts.parse(host));
	}

	@ParameterizedTest
	@CsvSource({ "Example.COM,example.com", "example.com.,example.com", "localhost,localhost",
			"0x7f.example,0x7f.example", "1.2.3.example,1.2.3.example", "a_b.example,a_b.example" })
	void readsNamesLowercaseWithoutTrailingDot(String host, String name) {
		assertThat(Hosts.parse(host)).isEqualTo(new Hosts.Host.Name(name));
	}

	@ParameterizedTest
	@CsvSource({ "2130706433,127.0.0.1", "0x7f.1,127.0.0.1", "017700000001,127.0.0.1", "127.1,127.0.0.1",
			"192.168.257,192.168.1.1", "4294967295,255.255.255.255", "[::ffff:127.0.0.1],127.0.0.1" })
	void readsIpv4AddressesAsInetAton(String host, String address) throws Exception {
		assertThat(literal(host)).isEqualTo(InetAddress.getByName(address));
	}

	private static InetAddress literal(String host) {
		Hosts.Host parsed = Hosts.parse(host);
		assertThat(parsed).isInstanceOf(Hosts.Host.Literal.class);
		return ((Hosts.Host.Literal) parsed).address();
	}

}
