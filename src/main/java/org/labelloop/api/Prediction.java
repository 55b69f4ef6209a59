package org.labelloop.api;

/**
 * What the active image model says about an item.
 *
 * @param itemId the image
 * @param className the most likely class
 * @param confidence its probability (0–1)
 * @param model the model version, e.g. {@code v3}
 */
public record Prediction(long itemId, String className, double confidence, String model) {
}
