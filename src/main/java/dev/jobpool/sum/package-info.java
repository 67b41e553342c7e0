@NullMarked
package dev.jobpool.sum;

import org.jspecify.annotations.NullMarked;
