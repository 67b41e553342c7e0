/**
 * The HTTP face of the executors: what each one is and how loaded it is.
 */
@NullMarked
package dev.jobpool.execution.web;

import org.jspecify.annotations.NullMarked;
