/* Prints a free TCP port on loopback, for the bench scripts. */
public class FreePort {

	public static void main(String[] args) throws Exception {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			System.out.println(socket.getLocalPort());
		}
	}

}
