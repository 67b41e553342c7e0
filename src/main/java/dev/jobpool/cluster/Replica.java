package dev.jobpool.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.stereotype.Component;

/**
 * This replica of the service: its id in the cluster (from
 * {@code jobpool.cluster.replica-id}, else its host name and pid) and the store it uses.
 */
@Component
public class Replica {

	private final String id;

	private final StoreKind store;

	Replica(ClusterProperties properties, StoreProperties store) {
		String configured = properties.replicaId();
		this.id = (configured != null && !configured.isBlank()) ? configured
				: hostName() + "-" + ProcessHandle.current().pid();
		this.store = store.store();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	/**
	 * Return this replica's id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the store the replicas share.
	 * @return the store
	 */
	public StoreKind store() {
		return this.store;
	}

}
