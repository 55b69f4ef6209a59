package org.labelloop.backend.monai;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.imaging.ImageMeta;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelVolumes;

/**
 * The 3D half of {@link MonaiLabelBackend}: MONAI Label's radiology apps keep NIfTI volumes in their datastore, answer
 * {@code /infer} with a NIfTI label map on the image's grid, and take the final label as a NIfTI label map. This
 * translates between those files and mask annotations with the project's own label-map code (reading:
 * {@link LabelVolumes#read}, {@link LabelVolumes#mismatch}, {@link LabelMap#toMasks}; writing:
 * {@link LabelMap#slice}, {@link LabelVolumes#writeNifti}), as a NIfTI label-map import and export do.
 */
final class MonaiVolumes {

	private MonaiVolumes() {
	}

	/** The record with the size the file's header gives (the datastore does not list a volume's size). */
	static ImageRecord measured(ImageRecord r, Path imageFile) {
		ImageMeta m = Images.probe(imageFile);
		long bytes;
		try {
			bytes = Files.size(imageFile);
		} catch (java.io.IOException e) {
			bytes = r.bytes();
		}
		return new ImageRecord(r.id(), r.path(), r.sha256(), bytes, m.width(), m.height(), m.channels(), m.slices(), m.frames(), m.bitDepth(),
				r.split(), r.addedBy(), r.addedAt());
	}

	/**
	 * The model's label map as objects: one mask per label value, as a label-map import does by default
	 * ({@link LabelMap.Split#BY_VALUE}: a MONAI Label value is a class, such as the spleen, whatever its parts).
	 *
	 * @throws LabelLoopException naming the image and the reason when the file is not a label map, or when its
	 *         size or grid in space is not the image's (naming both)
	 */
	static List<LabelMap.Labelled> proposals(Path labelMap, ImageRecord image, Path imageFile) {
		String what = "The MONAI Label model's label map for " + image.name();
		LabelVolumes.Volume v;
		try {
			v = LabelVolumes.read(labelMap);
		} catch (LabelLoopException e) {
			throw new LabelLoopException(what + " cannot be read: " + e.getMessage() + " No proposal was added.", e);
		}
		String misfit = LabelVolumes.mismatch(v, "image '" + image.name() + "'", image.width(), image.height(), image.slices(),
				() -> LabelVolumes.gridOf(imageFile));
		if (misfit != null) throw new LabelLoopException(what + " does not fit the image: " + misfit + ". No proposal was added.");
		try {
			return LabelMap.toMasks(v.width(), v.height(), v.depth(), v::slice, LabelMap.Split.BY_VALUE);
		} catch (LabelLoopException e) {
			throw new LabelLoopException(what + " is not a label map: " + e.getMessage() + " No proposal was added.", e);
		}
	}

	/**
	 * Writes the labels as the image's NIfTI label map on its grid (qform, sform and voxel size of the image file):
	 * voxel value = class id, a later label over an earlier one where they overlap. A mask gives its voxels; an area
	 * shape gives the voxels inside it on its slice (on every slice when it is on all of them).
	 *
	 * @param labels the decided, classified mask and area annotations to write
	 */
	static void writeLabelMap(Path file, ImageRecord image, Path imageFile, List<Annotation> labels) {
		int w = image.width(), h = image.height(), d = image.slices();
		List<LabelMap.Labelled> objects = new ArrayList<>();
		int max = 0;
		for (Annotation a : labels) {
			AnnotationData data = a.data();
			Mask mask = data.isMask() ? data.mask() : data.geometry().kind().isArea() ? voxels(data.geometry(), d) : null;
			if (mask == null) continue;
			int value = Math.toIntExact(data.classId());
			objects.add(new LabelMap.Labelled(value, mask));
			max = Math.max(max, value);
		}
		int[] buf = new int[w * h];
		LabelVolumes.writeNifti(file, w, h, d, z -> LabelMap.slice(objects, w, h, z, buf), max, LabelVolumes.gridOf(imageFile));
	}

	/** An area shape's voxels: on its slice (Plane z is 1-based), or on each of the {@code depth} slices for z = 0. */
	private static Mask voxels(Geometry g, int depth) {
		if (g.plane().z() > 0) return Mask.of(g, g.plane().z() - 1);
		Mask all = Mask.EMPTY;
		for (int z = 0; z < depth; z++) all = all.union(Mask.of(g, z));
		return all;
	}
}
