package dev.jobpool.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metric names a PromQL expression reads, found by a small tokenizer: identifiers
 * that select series (bare, or followed by {@code {} or {@code [}), not function names,
 * aggregation operators, keywords, label names in matchers or in {@code by (...)} lists,
 * strings, numbers, durations and ranges ({@code [5m:1m]}), or Grafana variables such as
 * {@code $__rate_interval}.
 */
final class PromQlMetricNames {

	/** Operators and keywords that read like identifiers but are not series. */
	private static final Set<String> KEYWORDS = Set.of("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar",
			"topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio", "by", "without", "on", "ignoring",
			"group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");

	/** Keywords followed by a parenthesized list of label names. */
	private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	private PromQlMetricNames() {
	}

	/**
	 * Return the metric names the expression reads, in order of first appearance.
	 * @param expr a PromQL expression
	 * @return the metric names
	 */
	static Set<String> in(String expr) {
		List<Token> tokens = tokenize(expr);
		Set<String> names = new LinkedHashSet<>();
		int braces = 0;
		int brackets = 0;
		for (int i = 0; i < tokens.size(); i++) {
			Token token = tokens.get(i);
			Token next = (i + 1 < tokens.size()) ? tokens.get(i + 1) : null;
			switch (token.kind()) {
				case PUNCT -> {
					switch (token.text()) {
						case "{" -> braces++;
						case "}" -> braces--;
						case "[" -> brackets++;
						case "]" -> brackets--;
						default -> {
						}
					}
				}
				case IDENT -> {
					if (brackets > 0) {
						// Inside a range or subquery, [5m:1m]: ":1m" only looks like an
						// identifier.
						continue;
					}
					if (braces > 0) {
						// A label name in a matcher; {__name__="x"} names a metric too.
						if (token.text().equals("__name__") && i + 2 < tokens.size()
								&& tokens.get(i + 2).kind() == Kind.STRING) {
							names.add(tokens.get(i + 2).text());
						}
					}
					else if (LABEL_LISTS.contains(token.text()) && next != null && next.text().equals("(")) {
						i = closingParen(tokens, i + 1);
					}
					else if (!KEYWORDS.contains(token.text()) && (next == null || !next.text().equals("("))) {
						names.add(token.text());
					}
				}
				default -> {
					// Strings, numbers, durations and variables select nothing.
				}
			}
		}
		return names;
	}

	private static int closingParen(List<Token> tokens, int open) {
		int depth = 0;
		for (int i = open; i < tokens.size(); i++) {
			if (tokens.get(i).text().equals("(")) {
				depth++;
			}
			else if (tokens.get(i).text().equals(")") && --depth == 0) {
				return i;
			}
		}
		throw new IllegalArgumentException("Unbalanced parentheses after token " + open);
	}

	static List<Token> tokenize(String expr) {
		List<Token> tokens = new ArrayList<>();
		int i = 0;
		while (i < expr.length()) {
			char c = expr.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
			}
			else if (c == '#') { // a comment runs to the end of the line
				while (i < expr.length() && expr.charAt(i) != '\n') {
					i++;
				}
			}
			else if (c == '"' || c == '\'' || c == '`') {
				int end = i + 1;
				StringBuilder text = new StringBuilder();
				while (end < expr.length() && expr.charAt(end) != c) {
					if (expr.charAt(end) == '\\' && c != '`' && end + 1 < expr.length()) {
						end++;
					}
					text.append(expr.charAt(end++));
				}
				if (end >= expr.length()) {
					throw new IllegalArgumentException("Unterminated string at " + i + " in: " + expr);
				}
				tokens.add(new Token(Kind.STRING, text.toString()));
				i = end + 1;
			}
			else if (c == '$') { // a Grafana variable: $name or ${name...}
				int end = i + 1;
				if (end < expr.length() && expr.charAt(end) == '{') {
					end = expr.indexOf('}', end) + 1;
					if (end == 0) {
						throw new IllegalArgumentException("Unterminated ${ at " + i + " in: " + expr);
					}
				}
				else {
					while (end < expr.length() && isIdentPart(expr.charAt(end))) {
						end++;
					}
				}
				tokens.add(new Token(Kind.VARIABLE, expr.substring(i, end)));
				i = end;
			}
			else if (Character.isDigit(c)
					|| (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
				// Numbers and durations (0.95, 1e3, 0x1f, 5m, 1h30m) start with a digit
				// or a dot.
				int end = i + 1;
				while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || expr.charAt(end) == '.'
						|| ((expr.charAt(end) == '+' || expr.charAt(end) == '-')
								&& Character.toLowerCase(expr.charAt(end - 1)) == 'e'))) {
					end++;
				}
				tokens.add(new Token(Kind.NUMBER, expr.substring(i, end)));
				i = end;
			}
			else if (isIdentStart(c)) {
				int end = i + 1;
				while (end < expr.length() && isIdentPart(expr.charAt(end))) {
					end++;
				}
				tokens.add(new Token(Kind.IDENT, expr.substring(i, end)));
				i = end;
			}
			else {
				tokens.add(new Token(Kind.PUNCT, String.valueOf(c)));
				i++;
			}
		}
		return tokens;
	}

	private static boolean isIdentStart(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
	}

	private static boolean isIdentPart(char c) {
		return isIdentStart(c) || (c >= '0' && c <= '9');
	}

	enum Kind {

		IDENT, STRING, NUMBER, VARIABLE, PUNCT

	}

	/**
	 * One token.
	 *
	 * @param kind what it is
	 * @param text its text (a string's content without quotes)
	 */
	record Token(Kind kind, String text) {
	}

}
