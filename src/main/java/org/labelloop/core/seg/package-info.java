/**
 * Pixel classification (Labkit / Trainable Weka style), plain Java: multi-scale {@link org.labelloop.core.seg.Features}
 * in 2D and 3D, a random-forest {@link org.labelloop.core.seg.PixelClassifier} trained from labelled slices or
 * scribbles ({@link org.labelloop.core.seg.TrainingImage}), a {@link org.labelloop.core.seg.ProbabilityMap}, and
 * {@link org.labelloop.core.seg.SegObjects} (threshold, distance-transform watershed, size filter) → masks with a
 * confidence. Not wired into Retrain or Fiji yet.
 */
package org.labelloop.core.seg;
