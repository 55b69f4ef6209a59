package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.vector.VectorItem;

/**
 * What the vector index stores beside each vector: the payload of an item (kind, image, split, its label's
 * class, status, origin and user, and the area and mean Retrain measured) computed from the store, and the cached embeddings of a model version's items.
 * The image model's items are the images and each slice of a volume; a slice's payload has no label (a slice gets no
 * class of its own), so label changes never touch it.
 * Payloads name classes by id, so a renamed class needs no refresh.
 */
final class ItemPayloads {

	private final ProjectStore store;

	ItemPayloads(ProjectStore store) {
		this.store = store;
	}


	Map<Long, ImageRecord> imageRecords() {
		Map<Long, ImageRecord> out = new HashMap<>();
		for (ImageRecord im : store.images()) out.put(im.id(), im);
		return out;
	}

	/** Payloads of every item of the version's task (images, or area ROIs), computed from the whole store at once. */
	Map<String, Map<String, String>> all(ModelVersion m) {
		Map<Long, ImageRecord> images = imageRecords();
		Map<Target, ProjectStore.Cached> measured = store.embeddings(Trainer.MEASUREMENTS); // one read, not one per item
		Measured lookup = (t, stamp) -> ProjectStore.Cached.current(measured, t, stamp);
		Map<String, Map<String, String>> out = new LinkedHashMap<>();
		if (Task.IMAGE.equals(m.task())) {
			Map<Long, List<Annotation>> byImage = new HashMap<>();
			for (Annotation a : store.allAnnotations())
				if (a.data().isImageLevel()) byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
			for (ImageRecord im : images.values()) {
				out.put(Similar.item(Similar.IMAGE, im.id()), imagePayload(im, byImage.getOrDefault(im.id(), List.of()), lookup));
				for (int z = 1; z <= slices(im); z++) out.put(Similar.ItemRef.slice(im.id(), z).toString(), base(Similar.SLICE, im));
			}
		} else {
			for (Annotation a : store.allAnnotations())
				if (isRoi(a) && images.containsKey(a.imageId())) out.put(Similar.item(Similar.ROI, a.id()), roiPayload(a, images.get(a.imageId()), lookup));
		}
		return out;
	}

	/** The payload of one item now, or {@code null} if it is gone (a deleted ROI, an image no longer there). */
	Map<String, String> payload(ModelVersion m, Similar.ItemRef ref, Map<Long, ImageRecord> images) {
		if (ref.isSlice()) {
			ImageRecord im = images.get(ref.target().imageId());
			return im == null || ref.z() > slices(im) ? null : base(Similar.SLICE, im);
		}
		if (ref.isImage()) {
			ImageRecord im = images.get(ref.id());
			if (im == null) return null;
			return imagePayload(im, store.annotations(im.id()).stream().filter(a -> a.data().isImageLevel()).toList(), pointLookup());
		}
		Optional<Annotation> a = store.annotation(ref.id());
		if (a.isEmpty() || !isRoi(a.get()) || !images.containsKey(a.get().imageId())) return null;
		return roiPayload(a.get(), images.get(a.get().imageId()), pointLookup());
	}

	/** The slice items of an image: each slice of a volume (up to {@link Target#MAX_Z}), none for a 2D image. */
	static int slices(ImageRecord im) {
		return im.slices() > 1 ? Math.min(im.slices(), Target.MAX_Z) : 0;
	}

	static boolean isRoi(Annotation a) {
		Geometry g = a.data().geometry();
		return g != null && g.kind().isArea();
	}

	/**
	 * What an image's payload shows: the annotation its label edits go to ({@link Labels#current}), else its newest
	 * rejected one, so "status:rejected" finds images whose label was rejected.
	 */
	private static Optional<Annotation> shownLabel(List<Annotation> imageLevel) {
		Optional<Annotation> live = Labels.current(imageLevel);
		return live.isPresent() ? live : imageLevel.stream().max(Labels.NEWEST);
	}

	/** Where an item's measurements come from: the store one at a time, or one read of them all. */
	private interface Measured {
		Optional<float[]> at(Target t, String stamp);
	}

	private Measured pointLookup() {
		return (t, stamp) -> store.embedding(Trainer.MEASUREMENTS, t, stamp);
	}

	private static Map<String, String> imagePayload(ImageRecord im, List<Annotation> imageLevel, Measured measured) {
		Map<String, String> p = base(Similar.IMAGE, im);
		shownLabel(imageLevel).ifPresent(a -> label(p, a));
		if (im.slices() <= 1) measurements(p, measured.at(Target.image(im.id()), Trainer.measureStamp(im, null)));
		return p;
	}

	private static Map<String, String> roiPayload(Annotation a, ImageRecord im, Measured measured) {
		Map<String, String> p = base(Similar.ROI, im);
		label(p, a);
		measurements(p, measured.at(Target.annotation(a.id()), Trainer.measureStamp(im, a.data().geometry())));
		return p;
	}

	/** The area and mean Retrain measured for the item as it is now (none if its shape changed since). */
	private static void measurements(Map<String, String> p, Optional<float[]> measured) {
		measured.filter(v -> v.length == 2 && Float.isFinite(v[0]) && Float.isFinite(v[1])).ifPresent(v -> {
			p.put(VectorItem.AREA, Float.toString(v[0]));
			p.put(VectorItem.MEAN, Float.toString(v[1]));
		});
	}

	private static Map<String, String> base(String kind, ImageRecord im) {
		Map<String, String> p = new LinkedHashMap<>();
		p.put(VectorItem.KIND, kind);
		p.put(VectorItem.IMAGE, Long.toString(im.id()));
		p.put(VectorItem.SPLIT, im.split().key());
		return p;
	}

	private static void label(Map<String, String> p, Annotation a) {
		AnnotationData d = a.data();
		if (d.classId() != null) p.put(VectorItem.CLASS, Long.toString(d.classId()));
		p.put(VectorItem.STATUS, d.status().key());
		p.put(VectorItem.ORIGIN, d.origin().kind().name().toLowerCase(Locale.ROOT));
		p.put(VectorItem.USER, a.author());
	}

	/**
	 * The cached embeddings of the items under the version's embedder. Images are stamped with their SHA-256; a ROI
	 * with {@code id@revision/sha}, where the revision is the one embedded: Retrain itself writes a new revision of the
	 * proposals it predicts, so the newest revision with the current shape that has a cached vector is used.
	 */
	Map<String, float[]> vectors(ModelVersion m, Set<String> items) {
		Map<Long, ImageRecord> images = imageRecords();
		Map<String, float[]> out = new LinkedHashMap<>();
		for (String id : items) {
			Similar.ItemRef ref = Similar.parse(id);
			Optional<float[]> v;
			if (ref.isImage()) v = store.embedding(m.embedder(), Target.image(ref.id()), Trainer.imageStamp(images.get(ref.id())));
			else if (ref.isSlice()) v = store.embedding(m.embedder(), ref.target(), Trainer.sliceStamp(images.get(ref.target().imageId()).sha256(), ref.z()));
			else v = roiVector(m, ref.id(), images);
			v.filter(ItemPayloads::usable).ifPresent(x -> out.put(id, x));
		}
		return out;
	}

	private Optional<float[]> roiVector(ModelVersion m, long annotationId, Map<Long, ImageRecord> images) {
		Optional<Annotation> a = store.annotation(annotationId);
		if (a.isEmpty() || images.get(a.get().imageId()) == null) return Optional.empty();
		String sha = images.get(a.get().imageId()).sha256();
		Target t = Target.annotation(annotationId);
		Optional<float[]> v = store.embedding(m.embedder(), t, annotationId + "@" + a.get().revision() + "/" + sha);
		if (v.isPresent()) return v;
		List<AnnotationRevision> history = new ArrayList<>(store.history(annotationId));
		history.sort(Comparator.comparingLong(AnnotationRevision::revision).reversed());
		for (AnnotationRevision r : history) {
			if (r.data() == null || !a.get().data().geometry().equals(r.data().geometry())) continue;
			v = store.embedding(m.embedder(), t, annotationId + "@" + r.revision() + "/" + sha);
			if (v.isPresent()) return v;
		}
		return Optional.empty();
	}

	private static boolean usable(float[] v) {
		boolean nonZero = false;
		for (float x : v) {
			if (!Float.isFinite(x)) return false;
			if (x != 0) nonZero = true;
		}
		return nonZero;
	}

}
