package dev.jobpool.web;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request broke one or more rules; answered with 400 and the fields named.
 */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldViolation> violations;

	public InvalidRequestException(List<FieldViolation> violations) {
		super(violations.stream().map((v) -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	public InvalidRequestException(String field, String message) {
		this(List.of(new FieldViolation(field, message)));
	}

	/**
	 * Return what is wrong, field by field.
	 * @return the violations
	 */
	public List<FieldViolation> violations() {
		return this.violations;
	}

}
