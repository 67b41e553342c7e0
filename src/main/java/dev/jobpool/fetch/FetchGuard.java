package dev.jobpool.fetch;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.jobpool.task.TaskControl;
import org.jspecify.annotations.Nullable;

/**
 * Decides which addresses a fetch may connect to. A host is resolved once, and refused if
 * any of its addresses is in a blocked range (unless allowed) or is this service itself;
 * otherwise the addresses vetted here are the only ones the client connects to, so a DNS
 * answer that changes between a check and the connection (DNS rebinding) cannot slip
 * through.
 */
final class FetchGuard {

	/**
	 * The task a lookup is made for, bound around each request: its deadline bounds the
	 * lookup and its abort ends it.
	 */
	static final ScopedValue<TaskControl> TASK = ScopedValue.newInstance();

	/** Stands for "any port" where the resolver is not told the port. */
	static final int ANY_PORT = -1;

	private final AllowedHosts allowedHosts;

	private final boolean blockPrivateNetworks;

	private final Duration dnsTimeout;

	private final Set<Integer> configuredServicePorts;

	private final ServicePorts servicePorts;

	private final HostLookup lookup;

	FetchGuard(FetchProperties properties, ServicePorts servicePorts, HostLookup lookup) {
		this.allowedHosts = AllowedHosts.parse(properties.allowedHosts());
		this.blockPrivateNetworks = properties.blockPrivateNetworks();
		this.dnsTimeout = properties.dnsTimeout();
		this.configuredServicePorts = Set.copyOf(properties.servicePorts());
		this.servicePorts = servicePorts;
		this.lookup = lookup;
	}

	/**
	 * Resolve a host and vet every one of its addresses.
	 * @param host the host as the client names it: a name, an address in any spelling, or
	 * a bracketed IPv6 address
	 * @param port the port to connect to, or {@link #ANY_PORT}
	 * @return the addresses the client may connect to
	 * @throws AddressBlocked if the host is invalid, or any address is blocked or this
	 * service
	 * @throws DnsLookupTimedOut if the lookup takes longer than the DNS timeout
	 * @throws UnknownHostException if the host does not resolve
	 */
	List<InetAddress> vet(String host, int port) throws UnknownHostException {
		Hosts.Host parsed;
		try {
			parsed = Hosts.parse(host);
		}
		catch (IllegalArgumentException ex) {
			throw new AddressBlocked(BlockReason.INVALID_HOST, ex.getMessage());
		}
		@Nullable String name = (parsed instanceof Hosts.Host.Name(String value)) ? value : null;
		List<InetAddress> addresses = switch (parsed) {
			case Hosts.Host.Literal(InetAddress address) -> List.of(address);
			case Hosts.Host.Name(String value) -> lookup(value);
		};
		for (InetAddress address : addresses) {
			if (isService(address, port)) {
				String target = (port != ANY_PORT) ? host + ":" + port : host;
				throw new AddressBlocked(BlockReason.SELF,
						target + " is this service itself (" + address.getHostAddress() + ")");
			}
		}
		if (this.blockPrivateNetworks) {
			for (InetAddress address : addresses) {
				AddressRanges.Range range = AddressRanges.blockedRange(address);
				if (range != null && !this.allowedHosts.allows(name, address)) {
					String where = "in a blocked range (" + range + ")";
					String ip = address.getHostAddress();
					throw new AddressBlocked(BlockReason.PRIVATE_ADDRESS,
							((name != null) ? name + " resolves to " + ip + ", which is " + where : ip + " is " + where)
									+ howToAllow((name != null) ? name + " or " + ip : ip));
				}
			}
		}
		return addresses;
	}

	/**
	 * Say how to let a blocked host through: the setting is hard to find from a task's
	 * error alone.
	 */
	private static String howToAllow(String entries) {
		return "; to allow it, add " + entries + " to jobpool.fetch.allowed-hosts (JOBPOOL_FETCH_ALLOWED_HOSTS)";
	}

	/**
	 * Return whether connecting to the address and port would reach this service: the
	 * port is one of its ports and the address is one of this host's.
	 */
	private boolean isService(InetAddress address, int port) {
		boolean servicePort = (port == ANY_PORT)
				? !this.configuredServicePorts.isEmpty() || !this.servicePorts.isEmpty()
				: this.configuredServicePorts.contains(port) || this.servicePorts.contains(port);
		if (!servicePort) {
			return false;
		}
		InetAddress judged = AddressRanges.effective(address);
		if (judged.isAnyLocalAddress() || judged.isLoopbackAddress()) {
			return true;
		}
		try {
			return NetworkInterface.getByInetAddress(judged) != null;
		}
		catch (SocketException ex) {
			// Unsure whether the address is ours: refuse, as for every other doubt here.
			return true;
		}
	}

	/**
	 * Look the name up on a virtual thread, waiting no longer than the DNS timeout or the
	 * task's deadline: {@code InetAddress} lookups have no timeout of their own. A lookup
	 * given up on goes on in the background until the system resolver returns.
	 */
	private List<InetAddress> lookup(String name) throws UnknownHostException {
		@Nullable TaskControl task = TASK.isBound() ? TASK.get() : null;
		Duration wait = this.dnsTimeout;
		if (task != null && task.remaining().compareTo(wait) < 0) {
			// One more millisecond so that a wait cut short by the deadline ends after
			// it.
			wait = task.remaining().plusMillis(1);
		}
		FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> this.lookup.lookup(name));
		Thread.ofVirtual().name("jobpool-dns-lookup").start(lookup);
		if (task != null) {
			task.onAbort(() -> lookup.cancel(true));
		}
		try {
			InetAddress[] addresses = lookup.get(wait.toNanos(), TimeUnit.NANOSECONDS);
			if (addresses == null || addresses.length == 0) {
				throw new UnknownHostException(name);
			}
			return List.of(addresses);
		}
		catch (TimeoutException ex) {
			lookup.cancel(true);
			throw new DnsLookupTimedOut(name, this.dnsTimeout);
		}
		catch (ExecutionException ex) {
			UnknownHostException failure = new UnknownHostException(name);
			failure.initCause(ex.getCause());
			throw failure;
		}
		catch (CancellationException ex) {
			throw new UnknownHostException("lookup of " + name + " abandoned: the task was aborted");
		}
		catch (InterruptedException ex) {
			lookup.cancel(true);
			Thread.currentThread().interrupt();
			throw new UnknownHostException("lookup of " + name + " interrupted");
		}
	}

}
