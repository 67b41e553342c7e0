package dev.jobpool.job;

/**
 * The store contract against the in-memory store, the default.
 */
class MemoryStoreContractTests extends JobStoreContract {

	@Override
	protected String store() {
		return "memory";
	}

}
