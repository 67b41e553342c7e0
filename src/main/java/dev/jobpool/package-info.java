@NullMarked
package dev.jobpool;

import org.jspecify.annotations.NullMarked;
