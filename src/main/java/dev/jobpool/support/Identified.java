package dev.jobpool.support;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum known outside the service by an id: its constant's name in lower case
 * ({@code TOO_MANY_REDIRECTS} is {@code too_many_redirects}), in JSON, query parameters
 * and metric tags alike.
 */
public interface Identified {

	/**
	 * Return the enum constant's name, as {@link Enum#name()} does.
	 * @return the name
	 */
	String name();

	/**
	 * Return the id used in JSON, query parameters and metric tags.
	 * @return the constant's name in lower case, for example {@code "running"}
	 */
	@JsonValue
	default String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Find the constant of an enum with the given id.
	 * @param <E> the enum
	 * @param type the enum's class
	 * @param id an id such as {@code "running"}
	 * @return the constant, or empty if none has that id
	 */
	static <E extends Enum<E> & Identified> Optional<E> fromId(Class<E> type, String id) {
		return Optional.ofNullable(type.cast(IdentifiedConstants.of(type).get(id)));
	}

}
