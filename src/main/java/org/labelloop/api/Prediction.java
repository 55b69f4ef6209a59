package org.labelloop.api;

/**
 * What the active image model says about an item.
 *
 * @param itemId the image
 * @param className the most likely class
 * @param confidence its probability (0–1)
 * @param model the model version, e.g. {@code v3}
 * @param novel whether the item is unlike anything the model was trained on: then its class is a guess, whatever the
 *              confidence, and {@link Project#query} never returns it
 */
public record Prediction(long itemId, String className, double confidence, String model, boolean novel) {
}
