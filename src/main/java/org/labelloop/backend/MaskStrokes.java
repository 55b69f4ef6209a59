package org.labelloop.backend;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;

/**
 * Brush strokes on masks, as edits: the same for the Fiji brush tool, click to segment, the Paint Mask, Segment at
 * Click and Fill Selection into Mask commands, macros and scripts. A stroke of a class goes to a proposed object of
 * that class it touches (the newest: the person corrects the model's or the proposer's object), else to the person's
 * own mask of the class on the image (the newest one not rejected: the one painted last), else starts a new one. So
 * painting next to a model's proposals never grows one of them. Erasing takes the stroke's voxels away from the same
 * target, and deletes the annotation when nothing is left. One stroke is one edit, so one undo.
 */
public final class MaskStrokes {

	private MaskStrokes() {
	}

	/** The mask annotation a stroke of {@code classId} goes to on an image, if it has one (see the class comment). */
	public static Optional<Annotation> target(Collection<Annotation> ofImage, long classId, Mask stroke) {
		List<Annotation> ofClass = ofImage.stream()
				.filter(a -> a.data().isMask() && a.data().status() != Status.REJECTED && Long.valueOf(classId).equals(a.data().classId())).toList();
		Optional<Annotation> touched = ofClass.stream().filter(a -> a.data().origin().kind() != Origin.Kind.HUMAN && touches(a.data().mask(), stroke))
				.max(Labels.NEWEST);
		if (touched.isPresent()) return touched;
		return ofClass.stream().filter(a -> a.data().origin().kind() == Origin.Kind.HUMAN).max(Labels.NEWEST);
	}

	private static boolean touches(Mask m, Mask stroke) {
		if (m.isEmpty() || stroke.isEmpty() || m.maxX() < stroke.minX() || stroke.maxX() < m.minX() || m.maxY() < stroke.minY() || stroke.maxY() < m.minY()
				|| m.maxZ() < stroke.minZ() || stroke.maxZ() < m.minZ())
			return false;
		return m.subtract(stroke).voxelCount() < m.voxelCount();
	}

	/** The edit a stroke writes, or empty when it changes no voxel (erasing where there is nothing, painting over itself). */
	public static Optional<Edit> stroke(long imageId, Collection<Annotation> ofImage, long classId, Mask stroke, boolean erase, String user) {
		if (stroke.isEmpty()) return Optional.empty();
		Optional<Annotation> target = target(ofImage, classId, stroke);
		if (target.isEmpty())
			return erase ? Optional.empty() : Optional.of(new Edit.Create(imageId, AnnotationData.ofMask(stroke, classId, Origin.human(user), Status.ACCEPTED, null)));
		Annotation a = target.get();
		Mask now = erase ? a.data().mask().subtract(stroke) : a.data().mask().union(stroke);
		if (now.isEmpty()) return Optional.of(new Edit.Delete(a.id(), a.revision()));
		return Labels.repaint(a.data(), now).map(d -> new Edit.Update(a.id(), a.revision(), d));
	}

	/**
	 * The edit a click to segment writes, {@code object} being what the click segmented: as a stroke ({@link #stroke}),
	 * except that a proposed object that already holds it is accepted ({@link Labels#click}).
	 */
	public static Optional<Edit> click(long imageId, Collection<Annotation> ofImage, long classId, Mask object, String user) {
		if (object.isEmpty()) return Optional.empty();
		Optional<Annotation> target = target(ofImage, classId, object);
		if (target.isEmpty()) return stroke(imageId, ofImage, classId, object, false, user);
		Annotation a = target.get();
		return Labels.click(a.data(), object).map(d -> new Edit.Update(a.id(), a.revision(), d));
	}

	/** The discs of radius {@code r} along a path of points ({@code x, y} pairs) on slice {@code z}: one brush stroke. */
	public static Mask along(List<int[]> points, double r, int z) {
		Mask out = Mask.EMPTY;
		int[] last = null;
		double step = Math.max(1, r / 2);
		for (int[] p : points) {
			if (last == null) out = out.union(Mask.disc(p[0], p[1], r, z));
			else {
				double dx = p[0] - last[0], dy = p[1] - last[1], len = Math.hypot(dx, dy);
				int n = (int) Math.ceil(len / step);
				for (int i = 1; i <= n; i++)
					out = out.union(Mask.disc((int) Math.round(last[0] + dx * i / n), (int) Math.round(last[1] + dy * i / n), r, z));
			}
			last = p;
		}
		return out;
	}
}
