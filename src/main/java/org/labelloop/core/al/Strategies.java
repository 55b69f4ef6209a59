package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import org.labelloop.core.al.Strategy.Input;

/**
 * The registry of strategies, found with {@link ServiceLoader} (see {@link Strategy}), and the common part of
 * {@link Strategy#select}: bad input and fallbacks.
 */
public final class Strategies {

	/**
	 * The strategy Next Image offers first: {@link Hybrid} (uncertain and diverse). It becomes {@link Margin} when a
	 * pool has no embeddings, and {@link CoreSet} or {@link RandomStrategy} before the first model.
	 */
	public static final String DEFAULT = "hybrid";

	private static volatile Map<String, Strategy> registry;

	private Strategies() {
	}

	private static Map<String, Strategy> registry() {
		Map<String, Strategy> r = registry;
		if (r == null) {
			Map<String, Strategy> m = new LinkedHashMap<>();
			for (Strategy s : ServiceLoader.load(Strategy.class, Strategy.class.getClassLoader()))
				m.putIfAbsent(key(s.name()), s);
			registry = r = Collections.unmodifiableMap(m);
		}
		return r;
	}

	private static String key(String name) {
		return name.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
	}

	/** Every strategy, built-in ones first. */
	public static List<Strategy> all() {
		return List.copyOf(registry().values());
	}

	/** Names of every strategy. */
	public static List<String> names() {
		return all().stream().map(Strategy::name).toList();
	}

	/**
	 * A strategy by name; case, {@code _} and spaces are forgiven ({@code least_confidence} from a macro works).
	 *
	 * @throws IllegalArgumentException naming the known strategies
	 */
	public static Strategy byName(String name) {
		Strategy s = name == null ? null : registry().get(key(name));
		if (s == null)
			throw new IllegalArgumentException("Unknown active-learning strategy '" + name + "'; known: " + String.join(", ", names()));
		return s;
	}

	/** {@code byName(name).select(pool, k, options)}. */
	public static Result select(String name, Pool pool, int k, Options options) {
		return byName(name).select(pool, k, options);
	}

	/**
	 * Chooses up to {@code k} items with {@code strategy}, handling the bad cases:
	 * <ul>
	 * <li>options the strategy refuses (an unknown class): {@link IllegalArgumentException} naming the known classes;</li>
	 * <li>nothing left (every item labelled; or every candidate leased to someone else): an empty result whose
	 * message says so;</li>
	 * <li>{@code k} larger than the candidates: all of them are returned, ranked;</li>
	 * <li>missing predictions or embeddings: a fallback ranks instead — {@link Margin} when there are predictions but
	 * no embeddings, {@link CoreSet} when there are embeddings but no predictions (before the first model), else
	 * {@link RandomStrategy}; the result's {@code used} and message and every reason say so;</li>
	 * <li>review without out-of-fold predictions: an empty result explaining that a model must be trained first.</li>
	 * </ul>
	 */
	public static Result select(Strategy strategy, Pool pool, int k, Options options) {
		return select(strategy, pool, k, 0, options);
	}

	/** {@link #select(Strategy, Pool, int, Options)} ranking {@code spare} more than k behind the k asked for. */
	static Result select(Strategy strategy, Pool pool, int k, int spare, Options options) {
		if (spare < 0) throw new IllegalArgumentException("spare must not be negative: " + spare);
		if (k < 1) throw new IllegalArgumentException("Batch size must be at least 1, not " + k);
		Options o = options == null ? Options.DEFAULT : options;
		strategy.check(pool, o);
		String name = strategy.name();
		if (strategy.choosesLabelled()) {
			if (pool.labelledSize() == 0) return empty(name, 0, "No labelled items yet: nothing to review.");
			if (strategy.needs().contains(Input.OUT_OF_FOLD) && pool.labelledProbabilities() == null)
				return empty(name, 0, "No out-of-fold predictions yet: train a model first; review compares them with the labels.");
			Candidates c = new Candidates(pool.labelledSize(), pool.labelledExcluded(o.exclude()), "labelled", null);
			if (c.count() == 0)
				return empty(name, 0, "All " + Text.count(pool.labelledSize()) + " labelled items are leased to other labellers.");
			return run(strategy, strategy, pool, c, k, spare, o, "");
		}
		if (pool.size() == 0)
			return empty(name, 0, pool.labelledSize() == 0 ? "The pool has no items to choose from."
					: "Every item is labelled (" + Text.count(pool.labelledSize()) + "): nothing left to choose. The review strategy checks existing labels.");
		BitSet excluded = pool.excluded(o.exclude());
		Set<Input> missing = EnumSet.noneOf(Input.class);
		missing.addAll(strategy.needs());
		if (pool.hasPredictions()) missing.remove(Input.PREDICTIONS);
		if (pool.hasEmbeddings()) missing.remove(Input.EMBEDDINGS);
		missing.remove(Input.OUT_OF_FOLD);
		Strategy used = strategy;
		String note = null, message = "";
		if (!missing.isEmpty()) {
			used = byName(pool.hasPredictions() ? Margin.NAME : pool.hasEmbeddings() ? CoreSet.NAME : RandomStrategy.NAME);
			String lack = missing.contains(Input.PREDICTIONS) ? "no predictions yet" : "no embeddings";
			note = lack + ", so " + used.name() + " instead of " + name + ": ";
			message = "No " + (missing.contains(Input.PREDICTIONS) ? "model predictions yet" : "embeddings") + ": " + name
					+ " fell back to " + used.name() + (used instanceof CoreSet ? " (diversity on the embeddings)." : ".");
		}
		Candidates c = new Candidates(pool.size(), excluded, "unlabelled", note);
		if (c.count() == 0)
			return empty(name, 0, "All " + Text.count(pool.size()) + " unlabelled items are leased to other labellers.");
		return run(strategy, used, pool, c, k, spare, o, message);
	}

	private static Result run(Strategy asked, Strategy used, Pool pool, Candidates c, int k, int spare, Options o, String message) {
		int kk = Math.min(k + spare, c.count());
		List<Selection> s = used.rank(pool, c, kk, o);
		if (s.isEmpty()) return new Result(asked.name(), used.name(), List.of(), c.count(), join(message, used.whyEmpty(pool, o)));
		if (k > c.count())
			message = join(message, "Asked for " + Text.count(k) + " but only " + Text.count(c.count()) + " candidates remain: all are returned.");
		return new Result(asked.name(), used.name(), s, c.count(), message);
	}

	private static String join(String a, String b) {
		return a.isEmpty() ? b : a + " " + b;
	}

	private static Result empty(String name, int candidates, String message) {
		return new Result(name, name, List.of(), candidates, message);
	}

	/** Selections from positions ranked best first, with the score and reason each position gets. */
	static List<Selection> selections(Pool pool, int[] positions, java.util.function.IntToDoubleFunction score,
			java.util.function.IntFunction<String> what, Candidates c, boolean labelled) {
		List<Selection> out = new ArrayList<>(positions.length);
		for (int r = 0; r < positions.length; r++) {
			int i = positions[r];
			long id = labelled ? pool.labelledId(i) : pool.id(i);
			out.add(new Selection(id, score.applyAsDouble(i), r + 1, c.reason(what.apply(i), r + 1)));
		}
		return out;
	}

	/** The class names, for error messages. */
	static String known(Pool pool) {
		return pool.classes().stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
	}
}
