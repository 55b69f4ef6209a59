package org.labelloop.core.al;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of what a {@link Strategy} chooses from, built once per model version and reused for many requests.
 * Arrays are taken as they are, not copied: do not change them while the pool is in use.
 * <ul>
 * <li><b>unlabelled</b> candidates: {@code ids[i]}, with class probabilities {@code probabilities[i]} (null when no
 * model has predicted yet) and embeddings {@code embeddings[i]} (null when none);</li>
 * <li><b>labelled</b> items: ids, the class index of their label, their out-of-fold probabilities (for review; may be
 * null) and embeddings (core-set uses them as the centres already covered; may be null);</li>
 * <li>the class names, in the order of the probability columns.</li>
 * </ul>
 */
public final class Pool {

	private final List<String> classes;
	private final long[] ids;
	private final float[][] probabilities;
	private final float[][] embeddings;
	private final long[] labelledIds;
	private final int[] labels;
	private final float[][] labelledProbabilities;
	private final float[][] labelledEmbeddings;
	private final IdIndex index, labelledIndex;
	/** Uncertainties of the unlabelled items by {@link Uncertainty#ordinal()}, computed on first use. */
	private final java.util.concurrent.atomic.AtomicReferenceArray<float[]> uncertainty =
			new java.util.concurrent.atomic.AtomicReferenceArray<>(Uncertainty.values().length);
	/** The positions of the unlabelled items, most uncertain first, by {@link Uncertainty#ordinal()}; made by {@link #rank}. */
	private final java.util.concurrent.atomic.AtomicReferenceArray<int[]> ranking =
			new java.util.concurrent.atomic.AtomicReferenceArray<>(Uncertainty.values().length);
	private volatile boolean keptForPicks;

	private Pool(Builder b) {
		this.classes = List.copyOf(b.classes);
		this.ids = b.ids;
		this.probabilities = b.probabilities;
		this.embeddings = b.embeddings;
		this.labelledIds = b.labelledIds;
		this.labels = b.labels;
		this.labelledProbabilities = b.labelledProbabilities;
		this.labelledEmbeddings = b.labelledEmbeddings;
		check(ids.length, probabilities, classes.size(), "probabilities", "unlabelled");
		check(ids.length, embeddings, -1, "embeddings", "unlabelled");
		check(labelledIds.length, labelledProbabilities, classes.size(), "out-of-fold probabilities", "labelled");
		check(labelledIds.length, labelledEmbeddings, -1, "embeddings", "labelled");
		if (labels.length != labelledIds.length)
			throw new IllegalArgumentException(labels.length + " labels for " + labelledIds.length + " labelled items");
		for (int l : labels)
			if (l < 0 || l >= classes.size())
				throw new IllegalArgumentException("Label index " + l + " is not one of the " + classes.size() + " classes " + classes);
		if (embeddings != null && labelledEmbeddings != null && ids.length > 0 && labelledIds.length > 0
				&& embeddings[0].length != labelledEmbeddings[0].length)
			throw new IllegalArgumentException("Embeddings of labelled items have " + labelledEmbeddings[0].length
					+ " dimensions, of unlabelled items " + embeddings[0].length);
		this.index = new IdIndex(ids);
		this.labelledIndex = new IdIndex(labelledIds);
	}

	private static void check(int n, float[][] rows, int width, String what, String which) {
		if (rows == null) return;
		if (rows.length != n) throw new IllegalArgumentException(rows.length + " rows of " + what + " for " + n + " " + which + " items");
		int w = width >= 0 ? width : n > 0 ? rows[0].length : 0;
		for (int i = 0; i < n; i++)
			if (rows[i] == null || rows[i].length != w)
				throw new IllegalArgumentException("Row " + i + " of the " + which + " " + what + " has "
						+ (rows[i] == null ? "no values" : rows[i].length + " values") + ", expected " + w);
	}

	public static Builder builder(List<String> classNames) {
		return new Builder(classNames);
	}

	/** Class names, in the order of the probability columns. */
	public List<String> classes() {
		return classes;
	}

	/** Index of a class name, or -1. */
	public int classIndex(String name) {
		return name == null ? -1 : classes.indexOf(name.strip());
	}

	/** Number of unlabelled candidates. */
	public int size() {
		return ids.length;
	}

	public long id(int i) {
		return ids[i];
	}

	/** Probabilities of the unlabelled items, or null before any model predicted. */
	public float[][] probabilities() {
		return probabilities;
	}

	public boolean hasPredictions() {
		return probabilities != null;
	}

	/**
	 * The uncertainty of every unlabelled item (larger = more uncertain), computed once per pool on first use
	 * (a pass over the probabilities, on several threads for big pools) and kept: the first pick after a new
	 * snapshot pays for it, later picks only scan these scores.
	 *
	 * @throws IllegalStateException if the pool has no predictions
	 */
	public float[] uncertainty(Uncertainty measure) {
		if (probabilities == null) throw new IllegalStateException("The pool has no predictions");
		float[] u = uncertainty.get(measure.ordinal());
		if (u == null) {
			u = Scan.uncertainties(probabilities, measure);
			if (!uncertainty.compareAndSet(measure.ordinal(), null, u)) u = uncertainty.get(measure.ordinal());
		}
		return u;
	}

	/**
	 * Says that this pool serves many picks (the kept pool of a version): each measure then ranks every unlabelled item
	 * once, on first use or through {@link #rank}, and a pick walks that order past the excluded items instead of
	 * scanning every score. A pool built for one pick is scanned instead: one pass beats a sort.
	 */
	public void keepForPicks() {
		keptForPicks = true;
	}

	/**
	 * Ranks every unlabelled item by a measure (a sort, about 10 ms at 100,000 items) and keeps that order.
	 *
	 * @throws IllegalStateException if the pool has no predictions
	 */
	public void rank(Uncertainty measure) {
		if (ranking.get(measure.ordinal()) == null) ranking.compareAndSet(measure.ordinal(), null, Scan.order(uncertainty(measure)));
	}

	/** The order of a measure, most uncertain first: made on first use for a kept pool, else only if {@link #rank} made it. */
	int[] ranking(Uncertainty measure) {
		if (keptForPicks) rank(measure);
		return ranking.get(measure.ordinal());
	}

	/** Embeddings of the unlabelled items, or null. */
	public float[][] embeddings() {
		return embeddings;
	}

	public boolean hasEmbeddings() {
		return embeddings != null;
	}

	public int labelledSize() {
		return labelledIds.length;
	}

	public long labelledId(int i) {
		return labelledIds[i];
	}

	/** Class index of the label of labelled item {@code i}. */
	public int label(int i) {
		return labels[i];
	}

	/** Out-of-fold probabilities of the labelled items, or null. */
	public float[][] labelledProbabilities() {
		return labelledProbabilities;
	}

	/** Embeddings of the labelled items, or null. */
	public float[][] labelledEmbeddings() {
		return labelledEmbeddings;
	}

	/** Position of an unlabelled id, or -1. */
	public int indexOf(long id) {
		return index.indexOf(id);
	}

	/** Position of a labelled id, or -1. */
	public int labelledIndexOf(long id) {
		return labelledIndex.indexOf(id);
	}

	/** Positions of the unlabelled items whose ids are in {@code exclude}; null when none are. */
	BitSet excluded(Set<Long> exclude) {
		return index.mask(exclude);
	}

	/** Positions of the labelled items whose ids are in {@code exclude}; null when none are. */
	BitSet labelledExcluded(Set<Long> exclude) {
		return labelledIndex.mask(exclude);
	}

	/** Finds positions by id: binary search when the ids are sorted (the usual case), else a map built on first use. */
	private static final class IdIndex {
		private final long[] ids;
		private final boolean sorted;
		private volatile Map<Long, Integer> map;

		IdIndex(long[] ids) {
			this.ids = ids;
			boolean s = true;
			for (int i = 1; i < ids.length && s; i++) s = ids[i - 1] < ids[i];
			this.sorted = s;
		}

		int indexOf(long id) {
			if (sorted) {
				int i = Arrays.binarySearch(ids, id);
				return i >= 0 ? i : -1;
			}
			Map<Long, Integer> m = map;
			if (m == null) {
				m = new HashMap<>(ids.length * 2);
				for (int i = 0; i < ids.length; i++) m.putIfAbsent(ids[i], i);
				map = m;
			}
			return m.getOrDefault(id, -1);
		}

		BitSet mask(Set<Long> exclude) {
			if (exclude.isEmpty()) return null;
			BitSet b = new BitSet(ids.length);
			if (!sorted && exclude.size() * 20L < ids.length && map == null) {
				// a few ids in an unsorted pool: one scan beats building the map
				for (int i = 0; i < ids.length; i++) if (exclude.contains(ids[i])) b.set(i);
			} else {
				for (long id : exclude) {
					int i = indexOf(id);
					if (i >= 0) b.set(i);
				}
			}
			return b.isEmpty() ? null : b;
		}
	}

	/** Builds a {@link Pool}; everything but the class names is optional. */
	public static final class Builder {
		private final List<String> classes;
		private long[] ids = new long[0];
		private float[][] probabilities, embeddings, labelledProbabilities, labelledEmbeddings;
		private long[] labelledIds = new long[0];
		private int[] labels = new int[0];

		private Builder(List<String> classes) {
			this.classes = classes;
		}

		/**
		 * @param ids the unlabelled candidates
		 * @param probabilities one row per id, one column per class; null before the first model
		 * @param embeddings one row per id; null if none
		 */
		public Builder unlabelled(long[] ids, float[][] probabilities, float[][] embeddings) {
			this.ids = ids;
			this.probabilities = probabilities;
			this.embeddings = embeddings;
			return this;
		}

		/**
		 * @param ids the labelled items
		 * @param labels class index of each item's label
		 * @param outOfFold out-of-fold probabilities (each item predicted by a model that did not train on it); may be null
		 * @param embeddings may be null
		 */
		public Builder labelled(long[] ids, int[] labels, float[][] outOfFold, float[][] embeddings) {
			this.labelledIds = ids;
			this.labels = labels;
			this.labelledProbabilities = outOfFold;
			this.labelledEmbeddings = embeddings;
			return this;
		}

		public Pool build() {
			return new Pool(this);
		}
	}
}
