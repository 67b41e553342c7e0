package dev.jobpool.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets a client that accepts {@code application/problem+json} reach the endpoints, which
 * produce {@code application/json}: such a client wants the errors as problems and the
 * rest as JSON, so it gets a 400 or 404 problem rather than a 406.
 */
@Configuration(proxyBeanMethods = false)
class ProblemAwareNegotiation implements WebMvcConfigurer {

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();
		configurer.strategies(List.of((request) -> {
			List<MediaType> accepted = header.resolveMediaTypes(request);
			if (accepted.stream().noneMatch(MediaType.APPLICATION_PROBLEM_JSON::equalsTypeAndSubtype)
					|| accepted.stream().anyMatch(MediaType.APPLICATION_JSON::equalsTypeAndSubtype)) {
				return accepted;
			}
			List<MediaType> widened = new ArrayList<>(accepted);
			widened.add(MediaType.APPLICATION_JSON);
			return widened;
		}));
	}

}
