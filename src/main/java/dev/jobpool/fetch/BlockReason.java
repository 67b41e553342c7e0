package dev.jobpool.fetch;

/**
 * Why a fetch was refused before any request was sent: the {@code reason} tag of
 * {@code jobpool.fetch.blocked}.
 */
enum BlockReason {

	/** The URL's scheme is not http or https. */
	SCHEME("scheme"),
	/**
	 * The URL's host is not a valid host name or address, or its port is out of range.
	 */
	INVALID_HOST("invalid_host"),
	/** The URL has user info ({@code user:password@}), which is never sent. */
	CREDENTIALS("credentials"),
	/** The host is, or resolves to, an address in a blocked range. */
	PRIVATE_ADDRESS("private_address"),
	/** The host and port are this service's own. */
	SELF("self"),
	/** A redirect led from https to http. */
	DOWNGRADE("downgrade"),
	/** The host could not be resolved, or not in time: the fetch fails closed. */
	DNS("dns");

	private final String tag;

	BlockReason(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}

}
