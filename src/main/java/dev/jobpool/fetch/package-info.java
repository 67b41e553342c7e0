@NullMarked
package dev.jobpool.fetch;

import org.jspecify.annotations.NullMarked;
