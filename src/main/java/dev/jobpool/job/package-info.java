@NullMarked
package dev.jobpool.job;

import org.jspecify.annotations.NullMarked;
