package org.labelloop.core.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.labelloop.core.geom.Geometry;

/**
 * The rules of a label's life, in one place. Everything that asks "is this labelled?", "what is this image's label?",
 * "what does relabelling write?" or "may a weak label replace this?" asks here: the plugin's edits, the script API,
 * training (the classifier and the CNN alike), review, the vector index's payloads, bulk labels, the dashboard and the
 * MONAI Label upload.
 * <ul>
 * <li><b>Decided</b>: a person said yes to it ({@link Status#isDecided()}: accepted or corrected).</li>
 * <li><b>A label</b> (what models learn from and review checks): decided and with a class.</li>
 * <li><b>An image's label</b>: its newest image-level label ({@link #NEWEST}: latest revision time, then id).</li>
 * <li><b>The image-level annotation edits go to</b> ({@link #current}): the newest that is not rejected, so Label Whole
 * Image replaces the previous label by a revision instead of piling up a second one.</li>
 * <li><b>Relabel</b> ({@link #relabel}): the same class and shape again accepts it; another class or shape corrects it;
 * giving a class to an unclassified proposal as it is accepts it (the person labelled, no model answer was changed).
 * Nothing is written when an accepted label would stay as it is.</li>
 * <li><b>Repaint</b> ({@link #repaint}): a brush stroke on a mask keeps a person's label theirs, and corrects a
 * proposed one; a click to segment inside a proposed object that holds it already accepts it ({@link #click}).</li>
 * <li><b>Segmented slices</b> ({@link #segmentedSlices}): a slice with a mask label is segmented completely; the rest of
 * it is background.</li>
 * <li><b>Scribbled slices</b> ({@link #scribbledSlices}): a slice that also holds a mask label of a background class
 * (a class named {@value #BACKGROUND}, {@link #isBackgroundClass}) is scribbled instead: only its painted pixels are
 * labels (Labkit's and Weka's strokes), the rest is unlabelled and still gets predictions.</li>
 * <li><b>Weak labels</b> ({@link Origin.Kind#WEAK}) are {@code proposed}: they never count as labels until a person
 * accepts them, and never replace what a person decided ({@link #weakMayReplace}).</li>
 * </ul>
 */
public final class Labels {

	private Labels() {
	}

	/** Oldest first: by the time of the latest revision, then by id. {@code max(NEWEST)} is the newest. */
	public static final Comparator<Annotation> NEWEST = Comparator.comparing(Annotation::time).thenComparingLong(Annotation::id);

	/** A label models learn from and review checks: decided by a person and with a class. */
	public static boolean isLabel(Annotation a) {
		return a.data().status().isDecided() && a.data().classId() != null;
	}

	/**
	 * Whether a model of {@code task} learns from it: an image-level label for {@link Task#IMAGE} (the newest per image
	 * counts, see {@link #imageLabel}), a label on an area shape for {@link Task#ROI}, a label on a mask for
	 * {@link Task#SEGMENTATION} (see {@link #segmentedSlices} for where its background comes from).
	 */
	public static boolean isLabelFor(Task task, Annotation a) {
		if (!isLabel(a)) return false;
		return switch (task) {
			case IMAGE -> a.data().isImageLevel();
			case ROI -> a.data().geometry() != null && a.data().geometry().kind().isArea();
			case SEGMENTATION -> a.data().isMask() && !a.data().mask().isEmpty();
		};
	}

	/**
	 * The slices a person segmented, by image id: the 0-based slices (0 for a 2D image) on which a mask label
	 * ({@link #isLabelFor isLabelFor(SEGMENTATION, a)}) has voxels, except the scribbled ones
	 * ({@link #scribbledSlices}, with a mask of one of {@code backgroundClasses}). Such a slice counts as segmented
	 * completely: its pixels outside every mask label are background for the pixel classifier, so a person accepts,
	 * corrects or rejects every proposal on a slice they label.
	 */
	public static Map<Long, java.util.SortedSet<Integer>> segmentedSlices(Collection<Annotation> all, Set<Long> backgroundClasses) {
		Map<Long, java.util.SortedSet<Integer>> out = maskedSlices(all, null), scribbled = scribbledSlices(all, backgroundClasses);
		scribbled.forEach((image, zs) -> {
			java.util.SortedSet<Integer> s = out.get(image);
			s.removeAll(zs);
			if (s.isEmpty()) out.remove(image);
		});
		return out;
	}

	/** The name that makes a class the background of mask labels: {@value}. */
	public static final String BACKGROUND = "background";

	/** Whether masks of this class mark background pixels (its name is {@value #BACKGROUND}, any case). */
	public static boolean isBackgroundClass(LabelClass c) {
		return c.name().strip().equalsIgnoreCase(BACKGROUND);
	}

	/** The ids of the background classes among {@code classes} ({@link #isBackgroundClass}). */
	public static Set<Long> backgroundClasses(Collection<LabelClass> classes) {
		Set<Long> out = new HashSet<>();
		for (LabelClass c : classes) if (isBackgroundClass(c)) out.add(c.id());
		return out;
	}

	/**
	 * The slices a person scribbled, by image id: those on which a mask label of a background class has voxels. On such
	 * a slice only the painted voxels are labels (a background stroke is background, another class's mask that class);
	 * its other voxels are unlabelled.
	 */
	public static Map<Long, java.util.SortedSet<Integer>> scribbledSlices(Collection<Annotation> all, Set<Long> backgroundClasses) {
		return maskedSlices(all, backgroundClasses);
	}

	/** The slices with a mask label (of a class in {@code only}, or of any class for null), by image id. */
	public static Map<Long, java.util.SortedSet<Integer>> maskedSlices(Collection<Annotation> all, Set<Long> only) {
		Map<Long, java.util.SortedSet<Integer>> out = new java.util.TreeMap<>();
		for (Annotation a : all)
			if (isLabelFor(Task.SEGMENTATION, a) && (only == null || only.contains(a.data().classId())))
				for (int z : a.data().mask().slices()) if (z >= 0) out.computeIfAbsent(a.imageId(), id -> new java.util.TreeSet<>()).add(z);
		return out;
	}

	/** The image's label among its annotations: the newest decided image-level annotation with a class. */
	public static Optional<Annotation> imageLabel(Collection<Annotation> ofImage) {
		return ofImage.stream().filter(a -> a.data().isImageLevel() && isLabel(a)).max(NEWEST);
	}

	/** Every image's label (see {@link #imageLabel}), by image id. */
	public static Map<Long, Annotation> imageLabels(Collection<Annotation> all) {
		Map<Long, Annotation> out = new HashMap<>();
		for (Annotation a : all)
			if (a.data().isImageLevel() && isLabel(a)) out.merge(a.imageId(), a, (p, q) -> NEWEST.compare(p, q) >= 0 ? p : q);
		return out;
	}

	/** Images with at least one annotation a person decided on: what Next Image treats as done. */
	public static Set<Long> labelledImages(Collection<Annotation> all) {
		Set<Long> out = new HashSet<>();
		for (Annotation a : all)
			if (labelsItsImage(a)) out.add(a.imageId());
		return out;
	}

	/** Whether this annotation makes its image a labelled one: a person decided on it (accepted or corrected). */
	public static boolean labelsItsImage(Annotation a) {
		return a.data().status().isDecided();
	}

	/**
	 * The image-level annotation a new image label is written to: the newest one not rejected (rejected ones are kept
	 * as they are, so a model learns from them).
	 */
	public static Optional<Annotation> current(Collection<Annotation> ofImage) {
		return ofImage.stream().filter(a -> a.data().isImageLevel() && a.data().status() != Status.REJECTED).max(NEWEST);
	}

	/**
	 * What a person giving {@code d} the class {@code classId} and the shape {@code shape} writes, or empty when nothing
	 * changes (already accepted as it is).
	 *
	 * @param shape the new shape, or {@code null} to keep the shape (and for image-level labels)
	 */
	public static Optional<AnnotationData> relabel(AnnotationData d, long classId, Geometry shape) {
		boolean sameShape = shape == null || Geometry.sameShape(shape, d.geometry());
		boolean sameClass = Long.valueOf(classId).equals(d.classId());
		boolean unchanged = sameShape && (sameClass || d.classId() == null);
		if (sameClass && sameShape && d.status() == Status.ACCEPTED) return Optional.empty();
		AnnotationData out = d.withClass(classId).withStatus(unchanged ? Status.ACCEPTED : Status.CORRECTED);
		return Optional.of(shape == null ? out : out.withGeometry(shape));
	}

	/**
	 * What accepting {@code d} with the shape the person sees writes: accepted as it is, corrected when they reshaped
	 * it, or empty when it is accepted already.
	 */
	public static Optional<AnnotationData> accept(AnnotationData d, Geometry shape) {
		if (shape != null && !Geometry.sameShape(shape, d.geometry())) return Optional.of(d.withGeometry(shape).withStatus(Status.CORRECTED));
		if (d.status() == Status.ACCEPTED) return Optional.empty();
		return Optional.of(d.withStatus(Status.ACCEPTED));
	}

	/** What rejecting {@code d} writes, or empty when it is rejected already. */
	public static Optional<AnnotationData> reject(AnnotationData d) {
		return d.status() == Status.REJECTED ? Optional.empty() : Optional.of(d.withStatus(Status.REJECTED));
	}

	/**
	 * What painting or erasing a mask writes: the new voxels, kept as the person's label when it was already theirs
	 * (decided, of human origin), {@code corrected} when a model or a rule proposed it; empty when no voxel changes.
	 */
	public static Optional<AnnotationData> repaint(AnnotationData d, org.labelloop.core.geom.Mask mask) {
		if (mask.equals(d.mask())) return Optional.empty();
		Status s = d.origin().isHuman() && d.status().isDecided() ? d.status() : Status.CORRECTED;
		return Optional.of(d.withMask(mask).withStatus(s));
	}

	/**
	 * What a click to segment on mask {@code d} writes, {@code object} being what the click segmented: a proposed
	 * mask that already holds the object is accepted as it is (the click confirms the model's object); otherwise the
	 * object is painted in ({@link #repaint}). Empty when nothing changes.
	 */
	public static Optional<AnnotationData> click(AnnotationData d, org.labelloop.core.geom.Mask object) {
		org.labelloop.core.geom.Mask now = d.mask().union(object);
		if (now.equals(d.mask())) return d.status() == Status.PROPOSED ? Optional.of(d.withStatus(Status.ACCEPTED)) : Optional.empty();
		return repaint(d, now);
	}

	/** A weak (rule- or query-made) label may replace an annotation only when no person has decided on it. */
	public static boolean weakMayReplace(Annotation a) {
		return !a.data().status().isDecided();
	}
}
