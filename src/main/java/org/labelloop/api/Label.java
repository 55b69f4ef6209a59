package org.labelloop.api;

/**
 * A label on an item: the whole image's ({@code wholeImage}) or an ROI's.
 *
 * @param id the annotation id
 * @param itemId the image it belongs to
 * @param className its class, or {@code null} for an unclassified proposal
 * @param status {@code proposed}, {@code accepted}, {@code corrected} or {@code rejected}
 * @param origin who made it: {@code human:<user>}, {@code model:<version>} or {@code weak:<rule>}
 * @param wholeImage true for an image-level label, false for an ROI
 * @param roi the ROI's kind and bounds as text (e.g. {@code polygon 12,30 40x22}), "" for a whole-image label
 */
public record Label(long id, long itemId, String className, String status, String origin, boolean wholeImage, String roi) {
}
