/**
 * Small shapes that several features share and that depend on no feature: the enums
 * written to JSON by an id.
 */
@NullMarked
package dev.jobpool.support;

import org.jspecify.annotations.NullMarked;
