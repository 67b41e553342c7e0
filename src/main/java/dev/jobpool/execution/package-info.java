@NullMarked
package dev.jobpool.execution;

import org.jspecify.annotations.NullMarked;
