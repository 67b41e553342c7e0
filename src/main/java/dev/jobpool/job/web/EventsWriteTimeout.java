package dev.jobpool.job.web;

import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Makes Tomcat give up on a blocked write after {@code jobpool.events.send-timeout}: a
 * write to a client that stopped reading blocks in Tomcat, which ends it only at its
 * connection timeout, so that is where an event stream's send timeout is enforced.
 */
@Component
class EventsWriteTimeout implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private final EventsProperties properties;

	EventsWriteTimeout(EventsProperties properties) {
		this.properties = properties;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		int millis = Math.toIntExact(this.properties.sendTimeout().toMillis());
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
				protocol.setConnectionTimeout(millis);
			}
		});
	}

}
