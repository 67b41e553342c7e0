/**
 * The service's warm-up: before it reports ready, it sends its own API rehearsal jobs
 * over loopback HTTP, so that its first clients find the request path compiled.
 */
@NullMarked
package dev.jobpool.warmup;

import org.jspecify.annotations.NullMarked;
