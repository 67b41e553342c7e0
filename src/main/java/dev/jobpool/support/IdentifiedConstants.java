package dev.jobpool.support;

import java.util.HashMap;
import java.util.Map;

/**
 * The constants of each {@link Identified} enum by id, built once per enum: a view of
 * 10,000 tasks looks up an id for each, and a search through the constants cost a stream
 * and a copy of the array every time.
 */
final class IdentifiedConstants {

	private static final ClassValue<Map<String, Object>> BY_ID = new ClassValue<>() {
		@Override
		protected Map<String, Object> computeValue(Class<?> type) {
			Map<String, Object> byId = new HashMap<>();
			for (Object constant : type.getEnumConstants()) {
				// The first constant of an id, as a search in declaration order finds it.
				byId.putIfAbsent(((Identified) constant).id(), constant);
			}
			return Map.copyOf(byId);
		}
	};

	private IdentifiedConstants() {
	}

	static Map<String, Object> of(Class<?> type) {
		return BY_ID.get(type);
	}

}
