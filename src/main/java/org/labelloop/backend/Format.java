package org.labelloop.backend;

import java.util.Locale;

/** Label exchange formats. */
public enum Format {
	/** COCO JSON: images, categories and annotations with polygons, boxes and scores. */
	COCO,
	/** One ImageJ ROI set ({@code .zip}) per image, readable by the ROI Manager. */
	ROI_ZIP,
	/** CSV of image-level labels: {@code image,label,status,origin,confidence}. */
	CSV,
	/** A NIfTI-1 label map ({@code .nii}, {@code .nii.gz}) per volume: mask annotations, one value per object. */
	NIFTI,
	/** A TIFF label image per image (8, 16 or 32-bit, a page per slice): mask annotations, one value per object. */
	TIFF_LABELS,
	/** A BINARY DICOM-SEG (import only): one mask annotation per segment, on the image of the series it segments. */
	DICOM_SEG;

	public String key() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	public static Format parse(String s) {
		for (Format f : values())
			if (f.key().equalsIgnoreCase(s.trim()) || f.name().equalsIgnoreCase(s.trim())) return f;
		throw new IllegalArgumentException("Unknown format '" + s + "' (expected coco, roi-zip, csv, nifti, tiff-labels or dicom-seg)");
	}
}
