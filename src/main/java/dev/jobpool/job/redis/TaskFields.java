package dev.jobpool.job.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.output.KeyValueStreamingChannel;
import org.jspecify.annotations.Nullable;

/**
 * A job's tasks' hash, whose fields are named {@code <letter>:<number>} ({@code s:7} is
 * when task 7 started, {@code u:12} how unit 12 ended), kept by letter and number rather
 * than by name. A view reads every field of every task: for 10,000 tasks that is 80,000
 * names to build and look up in a map of 50,000, which cost more than the view's JSON.
 * Filled once, from one thread, before any view reads it.
 */
final class TaskFields implements KeyValueStreamingChannel<byte[], byte[]> {

	/**
	 * The highest number kept by index: fields of higher numbers (a job of more units
	 * than any the default limits allow) go by name.
	 */
	private static final int MAX_INDEXED = 1 << 20;

	private final @Nullable String[][] columns = new String['z' - 'a' + 1][];

	/** Fields of any other form, which the store does not write today. */
	private final Map<String, String> others = new HashMap<>();

	private int size;

	/** No field yet. */
	TaskFields() {
	}

	/**
	 * The fields of a hash read by name.
	 * @param hash field names and values
	 * @return the same fields, by letter and number
	 */
	static TaskFields of(Map<String, String> hash) {
		TaskFields fields = new TaskFields();
		hash.forEach(fields::put);
		return fields;
	}

	/**
	 * One field as Redis sent it, parsed without building its name.
	 * @param name the field's name, as bytes
	 * @param value its value, as bytes
	 */
	@Override
	public void onKeyValue(byte[] name, byte[] value) {
		int number = number(name);
		if (number < 0) {
			put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
			return;
		}
		set(name[0], number, new String(value, StandardCharsets.UTF_8));
	}

	/**
	 * One field by its name.
	 * @param name the field's name
	 * @param value its value
	 */
	void put(String name, String value) {
		int number = number(name);
		if (number < 0) {
			if (this.others.put(name, value) == null) {
				this.size++;
			}
			return;
		}
		set((byte) name.charAt(0), number, value);
	}

	/**
	 * A field's value.
	 * @param letter the field's letter
	 * @param number its task's or unit's number
	 * @return the value, or {@code null} if the hash has no such field
	 */
	@Nullable String get(char letter, int number) {
		@Nullable String[] column = (letter >= 'a' && letter <= 'z') ? this.columns[letter - 'a'] : null;
		return (column != null && number < column.length) ? column[number] : null;
	}

	/**
	 * A field's value by its name, whatever its form.
	 * @param name the field's name
	 * @return the value, or {@code null} if the hash has no such field
	 */
	@Nullable String get(String name) {
		int number = number(name);
		return (number >= 0) ? get(name.charAt(0), number) : this.others.get(name);
	}

	/**
	 * How many fields the hash has.
	 * @return the count
	 */
	int size() {
		return this.size;
	}

	private void set(byte letter, int number, String value) {
		int at = letter - 'a';
		@Nullable String[] column = this.columns[at];
		if (column == null) {
			column = new String[Math.max(16, number + 1)];
			this.columns[at] = column;
		}
		else if (number >= column.length) {
			column = Arrays.copyOf(column, Math.max(number + 1, column.length * 2));
			this.columns[at] = column;
		}
		if (column[number] == null) {
			this.size++;
		}
		column[number] = value;
	}

	/**
	 * The number of a field named {@code <letter>:<digits>}, or -1 for any other name.
	 */
	private static int number(byte[] name) {
		if (name.length < 3 || name.length > 11 || name[1] != ':' || name[0] < 'a' || name[0] > 'z') {
			return -1;
		}
		long number = 0;
		for (int i = 2; i < name.length; i++) {
			int digit = name[i] - '0';
			if (digit < 0 || digit > 9 || (digit == 0 && i == 2 && name.length > 3)) {
				return -1;
			}
			number = number * 10 + digit;
		}
		return (number <= MAX_INDEXED) ? (int) number : -1;
	}

	private static int number(String name) {
		if (name.length() < 3 || name.length() > 11 || name.charAt(1) != ':') {
			return -1;
		}
		byte[] ascii = new byte[name.length()];
		for (int i = 0; i < ascii.length; i++) {
			char c = name.charAt(i);
			if (c > 127) {
				return -1;
			}
			ascii[i] = (byte) c;
		}
		return number(ascii);
	}

}
