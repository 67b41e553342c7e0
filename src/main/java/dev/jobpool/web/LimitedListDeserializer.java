package dev.jobpool.web;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads a JSON array of a job's tasks and stops at the first element past the job limit,
 * so a request with millions of elements is refused without parsing them all. The limit
 * comes from a mapper attribute set by {@link RequestLimitsConfiguration}.
 *
 * @param <T> the element type
 */
public abstract sealed class LimitedListDeserializer<T> extends ValueDeserializer<List<T>> {

	private final Class<T> elementType;

	private final String limitAttribute;

	LimitedListDeserializer(Class<T> elementType, String limitAttribute) {
		this.elementType = elementType;
		this.limitAttribute = limitAttribute;
	}

	@Override
	@SuppressWarnings("unchecked")
	public List<T> deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.isExpectedStartArrayToken()) {
			return (List<T>) context.handleUnexpectedToken(
					context.getTypeFactory().constructCollectionType(List.class, this.elementType), parser);
		}
		int limit = (context.getAttribute(this.limitAttribute) instanceof Integer max) ? max : Integer.MAX_VALUE;
		List<T> list = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			if (list.size() >= limit) {
				throw MismatchedInputException.from(parser, (Class<?>) null, "must have at most " + limit + " items");
			}
			try {
				list.add((parser.currentToken() == JsonToken.VALUE_NULL) ? null
						: context.readValue(parser, this.elementType));
			}
			catch (JacksonException ex) {
				throw DatabindException.wrapWithPath(context, ex, new JacksonException.Reference(list, list.size()));
			}
		}
		return list;
	}

	/**
	 * The {@code numbers} of a sum job: at most {@code jobpool.jobs.max-numbers-per-job}.
	 */
	public static final class Numbers extends LimitedListDeserializer<Long> {

		/** The mapper attribute that holds the limit. */
		public static final String LIMIT = "jobpool.jobs.max-numbers-per-job";

		/**
		 * Create the deserializer; Jackson calls it.
		 */
		public Numbers() {
			super(Long.class, LIMIT);
		}

	}

	/**
	 * The {@code urls} of a fetch job: at most {@code jobpool.jobs.max-urls-per-job}.
	 */
	public static final class Urls extends LimitedListDeserializer<String> {

		/** The mapper attribute that holds the limit. */
		public static final String LIMIT = "jobpool.jobs.max-urls-per-job";

		/**
		 * Create the deserializer; Jackson calls it.
		 */
		public Urls() {
			super(String.class, LIMIT);
		}

	}

}
