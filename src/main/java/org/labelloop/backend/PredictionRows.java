package org.labelloop.backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.labelloop.core.al.Pool;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;

/**
 * The image and slice probabilities of a model version as float rows in its class order, which every Next Image ranks
 * by: made once per version and shared by every user of the engine. A version's predictions are written once, with
 * the version (the store's {@code finishModel}), and never change after; Retrain makes the rows of the version it
 * made, and the pool of the uncertainty strategies ({@link KeptPool}), before it returns, so the first Next Image
 * after it costs what the second does.
 */
final class PredictionRows {

	/** A version's rows, plain and out-of-fold (shared arrays, not to be changed). */
	record Rows(long modelId, Map<Target, float[]> predicted, Map<Target, float[]> outOfFold) {
	}

	/**
	 * The Next Image pool of a version over the whole image list, for the strategies that rank the unlabelled items by
	 * their predictions alone ({@link NextChooser}): built from the store's image list {@code images} when
	 * {@code labelled} were the labelled images, and kept while the version and the list stay and labels are only added
	 * (those are excluded at each pick).
	 */
	record KeptPool(long modelId, List<ImageRecord> images, Set<Long> labelled, Pool pool) {
	}

	private final ProjectStore store;
	private volatile Rows kept;
	private volatile KeptPool keptPool;
	/** Retrains running that will make the pool of the version they activate (see {@link #makingPool}). */
	private final java.util.concurrent.atomic.AtomicInteger makingPools = new java.util.concurrent.atomic.AtomicInteger();

	KeptPool keptPool() {
		return keptPool;
	}

	void keep(KeptPool pool) {
		keptPool = pool;
	}

	/**
	 * Runs a Retrain that makes the kept pool of the version it activates. Between the activation and that pool (two
	 * seconds at 100,000 images), Next Image answers from the previous version's kept pool rather than making the
	 * same pool a second time beside the Retrain.
	 */
	<T> T makingPool(java.util.function.Supplier<T> retrain) {
		makingPools.incrementAndGet();
		try {
			return retrain.get();
		} finally {
			makingPools.decrementAndGet();
		}
	}

	/** Whether a Retrain is running that will make the pool of the version it activates. */
	boolean makingPool() {
		return makingPools.get() > 0;
	}

	PredictionRows(ProjectStore store) {
		this.store = store;
	}

	Rows of(ModelVersion model) {
		Rows k = kept;
		if (k != null && k.modelId() == model.id()) return k;
		List<Long> classIds = model.classIds();
		Map<Target, float[]> predicted = new HashMap<>(), outOfFold = new HashMap<>();
		List<Prediction> all = store.predictions(model.id());
		for (Prediction p : all) {
			if (!p.target().isImage() && !p.target().isSlice()) continue;
			float[] row = new float[classIds.size()];
			for (int c = 0; c < row.length; c++) row[c] = p.probabilities().getOrDefault(classIds.get(c), 0.0).floatValue();
			(p.outOfFold() ? outOfFold : predicted).put(p.target(), row);
		}
		Rows r = new Rows(model.id(), Map.copyOf(predicted), Map.copyOf(outOfFold));
		if (!all.isEmpty()) kept = r; // none yet: the version is still being written
		return r;
	}

	/** Rows of these items, or null when one has no prediction. */
	static float[][] rows(List<Target> items, Map<Target, float[]> byTarget) {
		float[][] out = new float[items.size()][];
		for (int i = 0; i < out.length; i++)
			if ((out[i] = byTarget.get(items.get(i))) == null) return null;
		return out;
	}
}
