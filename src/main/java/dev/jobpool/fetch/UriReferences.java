package dev.jobpool.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Resolves a redirect's {@code Location} against the URL that answered it, as RFC 3986
 * section 5.2 says, on the raw components of {@link URI}: nothing is decoded or encoded
 * again, so an IPv6 literal such as {@code [::ffff:127.0.0.2]} stays the host it is.
 * {@link URI#resolve(URI)} follows the older RFC 2396 (a reference of only a query drops
 * the last path segment, {@code ..} above the root is kept), and HttpClient's
 * {@code URIUtils.resolve} percent-encodes the brackets of some IPv6 literals, which
 * turns them into no host at all.
 */
final class UriReferences {

	private UriReferences() {
	}

	/**
	 * Resolve a reference against an absolute base URL.
	 * @param base the URL the reference was found at
	 * @param reference the reference, relative or absolute
	 * @return the URL the reference stands for
	 * @throws URISyntaxException if the reference is not a valid URI reference
	 */
	static URI resolve(URI base, String reference) throws URISyntaxException {
		URI ref = new URI(reference);
		String scheme;
		@Nullable String authority;
		String path;
		@Nullable String query;
		if (ref.getScheme() != null) {
			if (ref.isOpaque()) {
				return ref;
			}
			scheme = ref.getScheme();
			authority = ref.getRawAuthority();
			path = removeDotSegments(raw(ref.getRawPath()));
			query = ref.getRawQuery();
		}
		else {
			scheme = base.getScheme();
			if (ref.getRawAuthority() != null) {
				authority = ref.getRawAuthority();
				path = removeDotSegments(raw(ref.getRawPath()));
				query = ref.getRawQuery();
			}
			else {
				authority = base.getRawAuthority();
				String refPath = raw(ref.getRawPath());
				if (refPath.isEmpty()) {
					path = raw(base.getRawPath());
					query = (ref.getRawQuery() != null) ? ref.getRawQuery() : base.getRawQuery();
				}
				else {
					path = removeDotSegments(refPath.startsWith("/") ? refPath : merge(base, refPath));
					query = ref.getRawQuery();
				}
			}
		}
		StringBuilder target = new StringBuilder(scheme).append(':');
		if (authority != null) {
			target.append("//").append(authority);
		}
		target.append(path);
		if (query != null) {
			target.append('?').append(query);
		}
		if (ref.getRawFragment() != null) {
			target.append('#').append(ref.getRawFragment());
		}
		return new URI(target.toString());
	}

	private static String raw(@Nullable String component) {
		return (component != null) ? component : "";
	}

	/**
	 * Merge a relative path with the base's path (RFC 3986, section 5.2.3).
	 */
	private static String merge(URI base, String path) {
		String basePath = raw(base.getRawPath());
		if (base.getRawAuthority() != null && basePath.isEmpty()) {
			return "/" + path;
		}
		return basePath.substring(0, basePath.lastIndexOf('/') + 1) + path;
	}

	/**
	 * Remove the {@code .} and {@code ..} segments of a path (RFC 3986, section 5.2.4).
	 */
	static String removeDotSegments(String path) {
		if (!path.contains(".")) {
			return path;
		}
		Deque<String> output = new ArrayDeque<>();
		String input = path;
		while (!input.isEmpty()) {
			if (input.startsWith("../")) {
				input = input.substring(3);
			}
			else if (input.startsWith("./")) {
				input = input.substring(2);
			}
			else if (input.startsWith("/./")) {
				input = input.substring(2);
			}
			else if (input.equals("/.")) {
				input = "/";
			}
			else if (input.startsWith("/../")) {
				input = input.substring(3);
				output.pollLast();
			}
			else if (input.equals("/..")) {
				input = "/";
				output.pollLast();
			}
			else if (input.equals(".") || input.equals("..")) {
				input = "";
			}
			else {
				int next = input.indexOf('/', 1);
				String segment = (next < 0) ? input : input.substring(0, next);
				output.addLast(segment);
				input = input.substring(segment.length());
			}
		}
		return String.join("", output);
	}

}
