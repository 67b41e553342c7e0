/**
 * Callbacks: the REST form of {@code apply_async}'s callback. When a job with a
 * {@code callback} ends, its JSON is POSTed there, signed the Standard Webhooks way,
 * guarded as fetches are, and retried with back-off until a receiver takes it.
 */
@NullMarked
package dev.jobpool.callback;

import org.jspecify.annotations.NullMarked;
