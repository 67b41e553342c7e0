package dev.jobpool.warmup;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.jobpool.job.JobRehearsals;

/**
 * Runs the requests of the warm-up under way, and only those (they carry its secret), as
 * its rehearsal: their jobs are the rehearsal's. Every other request passes untouched.
 */
final class WarmUpFilter extends OncePerRequestFilter {

	private final WarmUp warmUp;

	WarmUpFilter(WarmUp warmUp) {
		this.warmUp = warmUp;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader(WarmUp.HEADER) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		JobRehearsals.Rehearsal rehearsal = this.warmUp.rehearsalFor(request.getHeader(WarmUp.HEADER));
		if (rehearsal == null) {
			chain.doFilter(request, response);
			return;
		}
		try {
			rehearsal.call(() -> {
				chain.doFilter(request, response);
				return null;
			});
		}
		catch (IOException | ServletException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new ServletException(ex);
		}
	}

}
