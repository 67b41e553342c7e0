@NullMarked
package dev.jobpool.job.web;

import org.jspecify.annotations.NullMarked;
