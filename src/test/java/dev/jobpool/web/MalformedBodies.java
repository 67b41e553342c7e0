package dev.jobpool.web;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random and malformed request bodies from one seed: the same seed gives the same bodies,
 * so a failure can be replayed with {@code -Djobpool.fuzz.seed=N}. Numbers that could be
 * read as a job size stay small, so a body accepted by chance is cheap to run.
 */
final class MalformedBodies {

	static final String SEED_PROPERTY = "jobpool.fuzz.seed";

	private static final String[] KEYS = { "numbers", "urls", "executor", "concurrency", "timeoutMs", "extra", "job",
			"type", "executors", "repeat", "warmup", "" };

	private static final String[] STRINGS = { "http://example.invalid/", "https://127.0.0.1/", "ftp://x/",
			"http://[::1]/", "javascript:1", "http://0x7f.1/", "auto", "process", "spawn", "gpu", "sum", "fetch",
			"platform", "virtual", "sequential", "" };

	private static final String[] FIXED = { "", "null", "[]", "{}", "\"x\"", "1e999", "{\"numbers\":",
			"{\"numbers\":[1,]}", "{\"urls\":[\"http://\u0000\"]}", "\uFEFF{}", "{\"numbers\":[1e999]}",
			"{\"numbers\":[99999999999999999999999]}", "{\"job\":{\"type\":\"sum\"}}", "{,}", "{\"a\" 1}" };

	private static final String JSONISH = "{}[]\":,0123456789-.eE truefalsn\\";

	private final SplittableRandom random;

	MalformedBodies(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/** The seed from {@code -Djobpool.fuzz.seed}, or a fresh one. */
	static long seed() {
		String configured = System.getProperty(SEED_PROPERTY);
		return (configured == null || configured.isBlank()) ? new SplittableRandom().nextLong()
				: Long.parseLong(configured.strip());
	}

	/** Random text: any characters, JSON-like characters, or a known awkward body. */
	String text() {
		return switch (this.random.nextInt(4)) {
			case 0 -> anyChars(this.random.nextInt(201));
			case 1 -> chars(JSONISH, this.random.nextInt(81));
			case 2 -> bytesAsText(this.random.nextInt(121));
			default -> FIXED[this.random.nextInt(FIXED.length)];
		};
	}

	/**
	 * A JSON object with job-like keys holding values of any shape, sometimes cut short.
	 */
	String wrongShapedJson() {
		StringBuilder body = new StringBuilder("{");
		int fields = this.random.nextInt(6);
		for (int i = 0; i < fields; i++) {
			if (i > 0) {
				body.append(',');
			}
			quote(body, KEYS[this.random.nextInt(KEYS.length)]);
			body.append(':');
			value(body, 0);
		}
		body.append('}');
		if (this.random.nextInt(8) == 0) {
			return body.substring(0, this.random.nextInt(body.length()));
		}
		return body.toString();
	}

	/** {@code count} cases, each a body, alternating text and wrong-shaped JSON. */
	List<String> bodies(int count) {
		List<String> bodies = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			bodies.add((i % 8 < 3) ? text() : wrongShapedJson());
		}
		return bodies;
	}

	int nextInt(int bound) {
		return this.random.nextInt(bound);
	}

	private void value(StringBuilder out, int depth) {
		int kinds = (depth < 6) ? 11 : 8;
		switch (this.random.nextInt(kinds)) {
			case 0 -> out.append(this.random.nextLong(-5, 5000));
			case 1 -> out.append(this.random.nextLong());
			case 2 -> out.append(this.random.nextDouble(-1e6, 1e6));
			case 3 -> out.append(hugeNumber());
			case 4 -> quote(out, anyChars(this.random.nextInt(31)));
			case 5 -> quote(out, STRINGS[this.random.nextInt(STRINGS.length)]);
			case 6 -> out.append(this.random.nextBoolean());
			case 7 -> out.append("null");
			case 8 -> smallNumbers(out);
			case 9 -> array(out, depth);
			default -> object(out, depth);
		}
	}

	private String hugeNumber() {
		return switch (this.random.nextInt(3)) {
			case 0 -> "9".repeat(20 + this.random.nextInt(40));
			case 1 -> "1e" + (300 + this.random.nextInt(1000));
			default -> "-" + "9".repeat(20) + ".5";
		};
	}

	private void smallNumbers(StringBuilder out) {
		out.append('[');
		int size = this.random.nextInt(9);
		for (int i = 0; i < size; i++) {
			out.append((i > 0) ? "," : "").append(this.random.nextLong(-5, 5000));
		}
		out.append(']');
	}

	private void array(StringBuilder out, int depth) {
		out.append('[');
		int size = this.random.nextInt(4);
		for (int i = 0; i < size; i++) {
			out.append((i > 0) ? "," : "");
			value(out, depth + 1);
		}
		out.append(']');
	}

	private void object(StringBuilder out, int depth) {
		out.append('{');
		int size = this.random.nextInt(4);
		for (int i = 0; i < size; i++) {
			out.append((i > 0) ? "," : "");
			quote(out, KEYS[this.random.nextInt(KEYS.length)]);
			out.append(':');
			value(out, depth + 1);
		}
		out.append('}');
	}

	private String anyChars(int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			int codePoint = this.random.nextInt(0x1_0000);
			if (!Character.isSurrogate((char) codePoint)) {
				out.appendCodePoint(codePoint);
			}
		}
		return out.toString();
	}

	private String bytesAsText(int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			out.append((char) this.random.nextInt(256));
		}
		return out.toString();
	}

	private String chars(String alphabet, int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			out.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return out.toString();
	}

	private static void quote(StringBuilder out, String text) {
		out.append('"');
		text.chars().forEach((c) -> {
			if (c == '"' || c == '\\') {
				out.append('\\').append((char) c);
			}
			else if (c < 0x20) {
				out.append(String.format("\\u%04x", c));
			}
			else {
				out.append((char) c);
			}
		});
		out.append('"');
	}

}
