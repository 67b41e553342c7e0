package dev.jobpool.fetch;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link FetchGuard}: which hosts and addresses a fetch may connect to, decided
 * without connecting.
 */
class FetchGuardTests {

	private final AtomicInteger lookups = new AtomicInteger();

	private final CountDownLatch never = new CountDownLatch(1);

	@AfterEach
	void releaseLookups() {
		this.never.countDown();
	}

	@Test
	void refusesHostWhenAnyAnswerIsBlocked() {
		FetchGuard guard = guard(TestFetchProperties.defaults(), answering("8.8.8.8", "127.0.0.1"));
		AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet("rebind.test", 80));
		assertThat(blocked.reason()).isEqualTo(BlockReason.PRIVATE_ADDRESS);
		assertThat(blocked.getMessage())
			.isEqualTo("rebind.test resolves to 127.0.0.1, which is in a blocked range (loopback 127.0.0.0/8); to allow"
					+ " it, add rebind.test or 127.0.0.1 to jobpool.fetch.allowed-hosts (JOBPOOL_FETCH_ALLOWED_HOSTS)");
		assertThat(this.lookups).hasValue(1);
	}

	@Test
	void returnsEveryAddressOfAPublicHost() throws Exception {
		FetchGuard guard = guard(TestFetchProperties.defaults(), answering("8.8.8.8", "2001:4860:4860::8888"));
		assertThat(guard.vet("dns.test", 443)).containsExactly(InetAddress.getByName("8.8.8.8"),
				InetAddress.getByName("2001:4860:4860::8888"));
		assertThat(this.lookups).hasValue(1);
	}

	@Test
	void refusesOddSpellingsOfLoopbackWithoutLookup() {
		FetchGuard guard = guard(TestFetchProperties.defaults(), answering("8.8.8.8"));
		for (String host : List.of("2130706433", "0x7f.1", "017700000001", "[::ffff:127.0.0.1]", "127.1",
				"[::127.0.0.1]", "[::1]")) {
			AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet(host, 80));
			assertThat(blocked).as(host).isNotNull();
			assertThat(blocked.reason()).as(host).isEqualTo(BlockReason.PRIVATE_ADDRESS);
		}
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void refusesLocalhostThroughTheSystemResolver() {
		FetchGuard guard = new FetchGuard(TestFetchProperties.defaults().build(), new ServicePorts(),
				HostLookup.SYSTEM);
		AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet("localhost", 80));
		assertThat(blocked.reason()).isEqualTo(BlockReason.PRIVATE_ADDRESS);
		assertThat(blocked.getMessage()).startsWith("localhost resolves to ");
	}

	@Test
	void refusesInvalidHosts() {
		FetchGuard guard = guard(TestFetchProperties.defaults(), answering("8.8.8.8"));
		AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet("256.0.0.1", 80));
		assertThat(blocked.reason()).isEqualTo(BlockReason.INVALID_HOST);
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void allowsBlockedAddressOfAnAllowedName() throws Exception {
		FetchGuard guard = guard(TestFetchProperties.defaults().allowedHosts("intranet.test"), answering("10.1.2.3"));
		assertThat(guard.vet("Intranet.Test.", 80)).containsExactly(InetAddress.getByName("10.1.2.3"));
		assertThatExceptionOfType(AddressBlocked.class).isThrownBy(() -> guard.vet("other.test", 80));
	}

	@Test
	void allowsBlockedAddressInAnAllowedBlock() throws Exception {
		FetchGuard guard = guard(TestFetchProperties.defaults().allowedHosts("10.1.0.0/16", "fd00::/8"),
				answering("10.1.2.3", "fd00::1"));
		assertThat(guard.vet("intranet.test", 80)).hasSize(2);
		assertThat(guard.vet("0x0a.1.2.3", 80)).containsExactly(InetAddress.getByName("10.1.2.3"));
		assertThatExceptionOfType(AddressBlocked.class).isThrownBy(() -> guard.vet("10.2.0.1", 80));
	}

	@Test
	void allowsEveryAddressWhenPrivateNetworksAreNotBlocked() throws Exception {
		FetchGuard guard = guard(TestFetchProperties.defaults().blockPrivateNetworks(false), answering("8.8.8.8"));
		assertThat(guard.vet("127.0.0.1", 80)).containsExactly(InetAddress.getByName("127.0.0.1"));
		assertThat(guard.vet("[fe80::1]", 80)).hasSize(1);
	}

	@Test
	void refusesTheServiceItselfWhateverIsAllowed() throws Exception {
		FetchGuard guard = guard(TestFetchProperties.defaults().blockPrivateNetworks(false).servicePorts(8080),
				answering("127.0.0.1"));
		for (String host : List.of("127.0.0.1", "127.0.0.2", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "self.test")) {
			AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet(host, 8080));
			assertThat(blocked).as(host).isNotNull();
			assertThat(blocked.reason()).as(host).isEqualTo(BlockReason.SELF);
		}
		assertThat(guard.vet("127.0.0.1", 8081)).hasSize(1);
	}

	@Test
	void refusesAnAddressOfThisHostOnTheServicePort() throws Exception {
		// An address of one of this machine's interfaces other than loopback, where there
		// is one.
		InetAddress local = NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> !address.isLoopbackAddress())
			.findFirst()
			.orElse(InetAddress.getLoopbackAddress());
		FetchGuard guard = guard(TestFetchProperties.defaults().blockPrivateNetworks(false).servicePorts(8080),
				answering(local.getHostAddress()));
		AddressBlocked blocked = catchThrowableOfType(AddressBlocked.class, () -> guard.vet("me.test", 8080));
		assertThat(blocked.reason()).isEqualTo(BlockReason.SELF);
	}

	@Test
	void failsClosedWhenLookupTimesOut() {
		HostLookup stuck = (host) -> {
			this.lookups.incrementAndGet();
			try {
				this.never.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new InetAddress[] { InetAddress.getByName("8.8.8.8") };
		};
		FetchGuard guard = guard(TestFetchProperties.defaults().dnsTimeout(Duration.ofMillis(200)), stuck);
		long start = System.nanoTime();
		DnsLookupTimedOut timedOut = catchThrowableOfType(DnsLookupTimedOut.class, () -> guard.vet("slow.test", 80));
		assertThat(timedOut).hasMessage("DNS lookup of slow.test timed out after 200 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void failsClosedWhenLookupFails() {
		HostLookup failing = (host) -> {
			throw new UnknownHostException(host + ": SERVFAIL");
		};
		FetchGuard guard = guard(TestFetchProperties.defaults(), failing);
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> guard.vet("broken.test", 80))
			.isNotInstanceOf(AddressBlocked.class)
			.withMessage("broken.test");
	}

	@Test
	void failsClosedWhenLookupAnswersNothing() {
		FetchGuard guard = guard(TestFetchProperties.defaults(), (host) -> new InetAddress[0]);
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> guard.vet("empty.test", 80));
	}

	private FetchGuard guard(TestFetchProperties properties, HostLookup lookup) {
		return new FetchGuard(properties.build(), new ServicePorts(), lookup);
	}

	private HostLookup answering(String... addresses) {
		return (host) -> {
			this.lookups.incrementAndGet();
			InetAddress[] answers = new InetAddress[addresses.length];
			for (int i = 0; i < addresses.length; i++) {
				answers[i] = InetAddress.getByName(addresses[i]);
			}
			return answers;
		};
	}

}
