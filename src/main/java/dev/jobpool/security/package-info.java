/**
 * The optional API key that guards {@code /api/**}.
 */
@NullMarked
package dev.jobpool.security;

import org.jspecify.annotations.NullMarked;
