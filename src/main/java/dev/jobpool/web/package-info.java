@NullMarked
package dev.jobpool.web;

import org.jspecify.annotations.NullMarked;
