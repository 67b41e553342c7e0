package dev.jobpool.web;

/**
 * What is wrong with one field or parameter of a request.
 *
 * @param field the field's path, for example {@code numbers[2]}, or the parameter's name
 * @param message what is wrong with it
 */
public record FieldViolation(String field, String message) {
}
