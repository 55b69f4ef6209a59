package org.labelloop.core.seg;

import org.labelloop.core.geom.Mask;

/**
 * One object found in a {@link ProbabilityMap}: its voxels, its class, and a confidence = the mean probability of that
 * class over its voxels.
 */
public record SegObject(Mask mask, int classIndex, String className, double confidence, long voxels) {
}
