package org.labelloop.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every current annotation of a project at one moment, in id order, with the images they label
 * ({@link Labels#labelsItsImage}) counted as it goes. Immutable: {@link #with} gives the next snapshot from the
 * annotations some writes touched, in time proportional to the project's size in references (two array copies) plus
 * the labelled images, not to decoding every annotation again. A store keeps one between reads (Next Image asks for
 * both lists on every choice).
 */
public final class AnnotationSnapshot {

	private static final Comparator<Annotation> BY_ID = Comparator.comparingLong(Annotation::id);
	private final List<Annotation> all;
	/** Image id -> how many of its current annotations label it (only images with at least one). */
	private final Map<Long, Integer> labelling;

	private AnnotationSnapshot(List<Annotation> all, Map<Long, Integer> labelling) {
		this.all = all;
		this.labelling = labelling;
	}

	/** A snapshot of these annotations (any order; ids unique). */
	public static AnnotationSnapshot of(List<Annotation> annotations) {
		Annotation[] a = annotations.toArray(Annotation[]::new);
		Arrays.sort(a, BY_ID);
		Map<Long, Integer> labelling = new HashMap<>();
		for (Annotation x : a) count(labelling, x, 1);
		return new AnnotationSnapshot(List.of(a), labelling);
	}

	/**
	 * The snapshot after writes that touched these annotations: id -> the annotation as it is now, or null where
	 * it was deleted. An id not in this snapshot with a non-null value is added (new, or restored by an undo).
	 */
	public AnnotationSnapshot with(Map<Long, Annotation> touched) {
		if (touched.isEmpty()) return this;
		Annotation[] a = all.toArray(Annotation[]::new);
		Map<Long, Integer> labelling = new HashMap<>(this.labelling);
		List<Annotation> added = new ArrayList<>();
		List<Integer> deleted = new ArrayList<>(); // emptied after the searches, which need every slot
		for (Map.Entry<Long, Annotation> e : touched.entrySet()) {
			Annotation now = e.getValue();
			if (now != null && now.id() != e.getKey()) throw new IllegalArgumentException("annotation " + now.id() + " given as " + e.getKey());
			int i = indexOf(a, e.getKey());
			if (i >= 0) {
				count(labelling, a[i], -1);
				if (now == null) deleted.add(i);
				else a[i] = now;
			} else if (now != null) {
				added.add(now);
			}
			if (now != null) count(labelling, now, 1);
		}
		for (int i : deleted) a[i] = null;
		List<Annotation> out = new ArrayList<>(a.length + added.size());
		for (Annotation x : a) if (x != null) out.add(x);
		out.addAll(added);
		if (!added.isEmpty()) out.sort(BY_ID); // two sorted runs, mostly: TimSort merges them in one pass
		return new AnnotationSnapshot(List.copyOf(out), labelling);
	}

	private static int indexOf(Annotation[] sorted, long id) {
		int lo = 0, hi = sorted.length - 1;
		while (lo <= hi) {
			int mid = (lo + hi) >>> 1;
			long m = sorted[mid].id();
			if (m < id) lo = mid + 1;
			else if (m > id) hi = mid - 1;
			else return mid;
		}
		return -1;
	}

	private static void count(Map<Long, Integer> labelling, Annotation a, int by) {
		if (a == null || !Labels.labelsItsImage(a)) return;
		labelling.merge(a.imageId(), by, (x, y) -> x + y == 0 ? null : x + y);
	}

	/** Every current annotation, in id order (unmodifiable). */
	public List<Annotation> all() {
		return all;
	}

	/** The images with at least one label a person decided on: {@link Labels#labelledImages} of {@link #all()}. */
	public Set<Long> labelledImages() {
		return Collections.unmodifiableSet(labelling.keySet());
	}
}
