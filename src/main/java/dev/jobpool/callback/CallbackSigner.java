package dev.jobpool.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs callbacks as the Standard Webhooks specification says: an HMAC-SHA256, keyed with
 * the secret's bytes (the base64 after {@code whsec_}), over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code v1,<base64>}.
 */
final class CallbackSigner {

	private static final String PREFIX = "whsec_";

	private final byte @Nullable [] key;

	CallbackSigner(@Nullable String secret) {
		this.key = (secret != null && !secret.isBlank()) ? decode(secret) : null;
	}

	private static byte[] decode(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		try {
			return Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jobpool.callbacks.secret must be whsec_ followed by base64", ex);
		}
	}

	boolean signs() {
		return this.key != null;
	}

	/**
	 * Return the {@code webhook-signature} header for one attempt, or {@code null}
	 * without a secret.
	 */
	@Nullable String signature(String id, long timestamp, String body) {
		byte[] secret = this.key;
		if (secret == null) {
			return null;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
