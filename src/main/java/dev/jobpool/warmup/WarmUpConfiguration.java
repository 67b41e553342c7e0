package dev.jobpool.warmup;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Recognises the warm-up's requests: runs them as its rehearsal, and keeps them out of
 * the HTTP server's metrics.
 */
@Configuration(proxyBeanMethods = false)
class WarmUpConfiguration {

	@Bean
	FilterRegistrationBean<WarmUpFilter> warmUpFilter(WarmUp warmUp) {
		FilterRegistrationBean<WarmUpFilter> registration = new FilterRegistrationBean<>(new WarmUpFilter(warmUp));
		registration.addUrlPatterns("/api/*");
		// After the API key filter: a warm-up request passes it as a client's does.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

	@Bean
	ObservationPredicate warmUpRequestsUnobserved(WarmUp warmUp) {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& warmUp.rehearsalFor(request.getCarrier().getHeader(WarmUp.HEADER)) != null);
	}

}
