package org.labelloop.core.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restriction of a query to items whose payload matches: every {@code must} condition holds, no
 * {@code mustNot} condition does, and every {@code range} holds. A condition is "field equals one of these values"; a
 * range is "the field's number lies between these bounds", for the {@link VectorItem#NUMERIC numeric} fields only. An
 * item without the field fails a {@code must} condition and a range, and passes a {@code mustNot} one (as in Qdrant).
 * <p>
 * Immutable; each method returns a new filter:
 * <pre>
 * Filter.ALL.must("class", "nucleus").mustNot("status", "accepted").mustAny("split", "train", "validation")
 * </pre>
 * The index does not know the project's classes: a filter naming a class nobody uses simply matches nothing.
 * Callers that take class names from users should check them against the project first and say so.
 */
public final class Filter {

	/** One condition: {@code key} equals one of {@code values}. */
	public record Condition(String key, Set<String> values) {
		public Condition {
			VectorItem.checkKey(key);
			if (values == null || values.isEmpty()) throw new IllegalArgumentException("Filter on '" + key + "' needs at least one value");
			for (String v : values)
				if (v == null) throw new IllegalArgumentException("Filter on '" + key + "' has a null value");
			values = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
		}

		boolean test(Map<String, String> payload) {
			String v = payload.get(key);
			return v != null && values.contains(v);
		}
	}

	/**
	 * One numeric condition: {@code key}'s value lies between {@code min} and {@code max} (either may be
	 * {@code null}: no bound), each bound included or not. The one home of "does this number pass": item filters'
	 * comparisons on metadata use it too; only {@link Filter#range} asks for a field the indexes hold as a number.
	 */
	public record Range(String key, Double min, boolean minInclusive, Double max, boolean maxInclusive) {
		public Range {
			VectorItem.checkKey(key);
			if (min == null && max == null) throw new IllegalArgumentException("A range on '" + key + "' needs a bound");
			if (min != null && !Double.isFinite(min) || max != null && !Double.isFinite(max))
				throw new IllegalArgumentException("A range on '" + key + "' needs finite bounds");
		}

		/** {@code key > v} ({@code inclusive}: {@code >=}). */
		public static Range above(String key, double v, boolean inclusive) {
			return new Range(key, v, inclusive, null, false);
		}

		/** {@code key < v} ({@code inclusive}: {@code <=}). */
		public static Range below(String key, double v, boolean inclusive) {
			return new Range(key, null, false, v, inclusive);
		}

		boolean test(Map<String, String> payload) {
			return test(payload.get(key));
		}

		/** Whether a value (a decimal number as text) lies in the range; text that is no number does not. */
		public boolean test(String s) {
			if (s == null) return false;
			double v;
			try {
				v = Double.parseDouble(s.strip());
			} catch (NumberFormatException e) {
				return false;
			}
			if (min != null && (minInclusive ? v < min : v <= min)) return false;
			return max == null || (maxInclusive ? v <= max : v < max);
		}

		@Override
		public String toString() {
			return (min == null ? "" : key + (minInclusive ? ">=" : ">") + min) + (min != null && max != null ? " and " : "")
					+ (max == null ? "" : key + (maxInclusive ? "<=" : "<") + max);
		}
	}

	/** Matches every item. */
	public static final Filter ALL = new Filter(List.of(), List.of(), List.of());

	private final List<Condition> must, mustNot;
	private final List<Range> ranges;

	private Filter(List<Condition> must, List<Condition> mustNot, List<Range> ranges) {
		this.must = List.copyOf(must);
		this.mustNot = List.copyOf(mustNot);
		this.ranges = List.copyOf(ranges);
	}

	public static Filter of(List<Condition> must, List<Condition> mustNot) {
		return new Filter(must == null ? List.of() : must, mustNot == null ? List.of() : mustNot, List.of());
	}

	/** This filter and the range as well. */
	public Filter range(Range r) {
		if (!VectorItem.NUMERIC.contains(r.key()))
			throw new IllegalArgumentException("A range needs a numeric field (" + String.join(", ", VectorItem.NUMERIC) + "), not '" + r.key() + "'");
		List<Range> m = new ArrayList<>(ranges);
		m.add(java.util.Objects.requireNonNull(r, "range"));
		return new Filter(must, mustNot, m);
	}

	public Filter must(String key, String value) {
		return mustAny(key, value);
	}

	public Filter mustAny(String key, String... values) {
		return mustAny(key, Arrays.asList(values));
	}

	public Filter mustAny(String key, Collection<String> values) {
		List<Condition> m = new ArrayList<>(must);
		m.add(new Condition(key, new LinkedHashSet<>(values)));
		return new Filter(m, mustNot, ranges);
	}

	public Filter mustNot(String key, String value) {
		return mustNotAny(key, value);
	}

	public Filter mustNotAny(String key, String... values) {
		return mustNotAny(key, Arrays.asList(values));
	}

	public Filter mustNotAny(String key, Collection<String> values) {
		List<Condition> m = new ArrayList<>(mustNot);
		m.add(new Condition(key, new LinkedHashSet<>(values)));
		return new Filter(must, m, ranges);
	}

	public List<Condition> must() {
		return must;
	}

	public List<Condition> mustNot() {
		return mustNot;
	}

	public List<Range> ranges() {
		return ranges;
	}

	public boolean isAll() {
		return must.isEmpty() && mustNot.isEmpty() && ranges.isEmpty();
	}

	/** Whether a payload passes this filter (what both indexes compute, for tests and for callers' own lists). */
	public boolean test(Map<String, String> payload) {
		for (Condition c : must)
			if (!c.test(payload)) return false;
		for (Condition c : mustNot)
			if (c.test(payload)) return false;
		for (Range r : ranges)
			if (!r.test(payload)) return false;
		return true;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Filter f && f.must.equals(must) && f.mustNot.equals(mustNot) && f.ranges.equals(ranges);
	}

	@Override
	public int hashCode() {
		return (must.hashCode() * 31 + mustNot.hashCode()) * 31 + ranges.hashCode();
	}

	@Override
	public String toString() {
		if (isAll()) return "all";
		StringBuilder sb = new StringBuilder();
		for (Condition c : must) sb.append(sb.length() > 0 ? " and " : "").append(c.key()).append(" in ").append(c.values());
		for (Condition c : mustNot) sb.append(sb.length() > 0 ? " and " : "").append(c.key()).append(" not in ").append(c.values());
		for (Range r : ranges) sb.append(sb.length() > 0 ? " and " : "").append(r);
		return sb.toString();
	}
}
