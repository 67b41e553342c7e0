package dev.jobpool.fetch;

import java.net.UnknownHostException;

/**
 * Thrown by the fetcher's DNS resolver when a host is, or resolves to, an address the
 * fetcher may not connect to. It is an {@link UnknownHostException} because that is all a
 * resolver may throw: to the HTTP client, the host has no address it may use.
 */
final class AddressBlocked extends UnknownHostException {

	private final BlockReason reason;

	AddressBlocked(BlockReason reason, String message) {
		super(message);
		this.reason = reason;
	}

	BlockReason reason() {
		return this.reason;
	}

}
