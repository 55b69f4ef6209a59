package org.labelloop.core.model;

import java.util.Map;

/**
 * What a model version says about an image or an annotation.
 *
 * @param outOfFold true when the item was labelled and the probabilities come from a model that did not see its
 *                  label (k-fold), so they can be compared with the label
 */
public record Prediction(long modelId, Target target, Map<Long, Double> probabilities, boolean outOfFold) {

	public Prediction {
		probabilities = Map.copyOf(probabilities);
	}

	/** The most probable class, or {@code null} if there are no probabilities. */
	public Long predictedClass() {
		return probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
	}

	public double confidence() {
		return probabilities.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
	}
}
