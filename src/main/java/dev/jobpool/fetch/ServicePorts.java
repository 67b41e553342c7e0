package dev.jobpool.fetch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The ports this service's web servers listen on (the API and, if separate, the
 * management server), learnt as each server starts. A fetch never reaches one of them on
 * an address of this host, whatever {@code jobpool.fetch.allowed-hosts} says: the service
 * must not be made to call itself.
 * <p>
 * Worker processes learn the ports started so far in the settings they get as they start.
 */
@Component
public final class ServicePorts implements ApplicationListener<WebServerInitializedEvent> {

	private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		int port = event.getWebServer().getPort();
		if (port > 0) {
			this.ports.add(port);
		}
	}

	/**
	 * Return the ports of the service's web servers started so far.
	 * @return the ports, empty before any server has started
	 */
	public Set<Integer> ports() {
		return Set.copyOf(this.ports);
	}

	boolean contains(int port) {
		return this.ports.contains(port);
	}

	boolean isEmpty() {
		return this.ports.isEmpty();
	}

}
