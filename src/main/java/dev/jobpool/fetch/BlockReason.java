package dev.jobpool.fetch;

import dev.jobpool.support.Identified;

/**
 * Why a fetch was refused before any request was sent: its {@link #id()} is the
 * {@code reason} tag of {@code jobpool.fetch.blocked}.
 */
enum BlockReason implements Identified {

	/** The URL's scheme is not http or https. */
	SCHEME,
	/**
	 * The URL's host is not a valid host name or address, or its port is out of range.
	 */
	INVALID_HOST,
	/** The URL has user info ({@code user:password@}), which is never sent. */
	CREDENTIALS,
	/** The host is, or resolves to, an address in a blocked range. */
	PRIVATE_ADDRESS,
	/** The host and port are this service's own. */
	SELF,
	/** A redirect led from https to http. */
	DOWNGRADE,
	/** The host could not be resolved, or not in time: the fetch fails closed. */
	DNS;

}
