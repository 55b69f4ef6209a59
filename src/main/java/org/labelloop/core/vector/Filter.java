package org.labelloop.core.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restriction of a query to items whose payload matches: every {@code must} condition holds and no
 * {@code mustNot} condition does. A condition is "field equals one of these values". An item without the field
 * fails a {@code must} condition and passes a {@code mustNot} one (as in Qdrant).
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

	/** Matches every item. */
	public static final Filter ALL = new Filter(List.of(), List.of());

	private final List<Condition> must, mustNot;

	private Filter(List<Condition> must, List<Condition> mustNot) {
		this.must = List.copyOf(must);
		this.mustNot = List.copyOf(mustNot);
	}

	public static Filter of(List<Condition> must, List<Condition> mustNot) {
		return new Filter(must == null ? List.of() : must, mustNot == null ? List.of() : mustNot);
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
		return new Filter(m, mustNot);
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
		return new Filter(must, m);
	}

	public List<Condition> must() {
		return must;
	}

	public List<Condition> mustNot() {
		return mustNot;
	}

	public boolean isAll() {
		return must.isEmpty() && mustNot.isEmpty();
	}

	/** Whether a payload passes this filter (what both indexes compute, for tests and for callers' own lists). */
	public boolean test(Map<String, String> payload) {
		for (Condition c : must)
			if (!c.test(payload)) return false;
		for (Condition c : mustNot)
			if (c.test(payload)) return false;
		return true;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Filter f && f.must.equals(must) && f.mustNot.equals(mustNot);
	}

	@Override
	public int hashCode() {
		return must.hashCode() * 31 + mustNot.hashCode();
	}

	@Override
	public String toString() {
		if (isAll()) return "all";
		StringBuilder sb = new StringBuilder();
		for (Condition c : must) sb.append(sb.length() > 0 ? " and " : "").append(c.key()).append(" in ").append(c.values());
		for (Condition c : mustNot) sb.append(sb.length() > 0 ? " and " : "").append(c.key()).append(" not in ").append(c.values());
		return sb.toString();
	}
}
