package dev.jobpool.callback;

/**
 * Callbacks of jobs in the in-memory store.
 */
class MemoryCallbackTests extends CallbackContract {

}
