package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.vector.Filter;
import org.labelloop.core.vector.Hit;
import org.labelloop.core.vector.RecommendStrategy;
import org.labelloop.core.vector.VectorIndex;
import org.labelloop.core.vector.VectorItem;

/**
 * Similar Items and bulk labels in the project's terms: examples checked against the project, the user's filter
 * turned into the index's, answers named and labelled, and many items labelled in one change set.
 */
final class SimilarQueries {

	private final ProjectStore store;
	private final ItemIndex index;

	SimilarQueries(ProjectStore store, ItemIndex index) {
		this.store = store;
		this.index = index;
	}


	static String what(Task task) {
		return Task.IMAGE.equals(task) ? "image" : "ROI";
	}

	/** The active version of a task, or an error saying Retrain computes the embeddings. */
	static ModelVersion activeOf(ProjectStore store, Task task) {
		return store.activeModel(task).orElseThrow(() -> new LabelLoopException("No " + what(task) + " model yet, so no " + what(task)
				+ " has an embedding to compare. Label a few items of two classes and run Retrain: it computes the embeddings."));
	}

	Similar.Result similar(Similar.Query q) {
		if (q.positives().isEmpty() && q.negatives().isEmpty())
			throw new LabelLoopException("Similar items of what? Give at least one example item (the current image or a selected ROI).");
		if (q.positives().isEmpty() && Similar.Query.AVERAGE_VECTOR.equals(q.strategy()))
			throw new LabelLoopException("With negative examples only, use the best_score strategy (average_vector needs a positive example).");
		List<Similar.ItemRef> refs = new ArrayList<>();
		for (String s : q.positives()) refs.add(Similar.parse(s));
		for (String s : q.negatives()) refs.add(Similar.parse(s));
		Task task = refs.get(0).task();
		if (refs.stream().anyMatch(r -> !r.task().equals(task)))
			throw new LabelLoopException("Examples mix images and ROIs; give examples of one kind (images and ROIs have separate models and indexes).");
		Lookup lookup = new Lookup(refs.size());
		for (Similar.ItemRef r : refs) checkExists(r, lookup);
		Filter filter = filter(q.filter());
		ModelVersion m = activeOf(store, task);
		VectorIndex ix = index.index(m);
		for (Similar.ItemRef r : refs)
			if (ix.get(r.toString()).isEmpty())
				throw new LabelLoopException("Item '" + r + "' has no embedding yet in model " + m.name() + " (it was added or drawn after the last"
						+ " Retrain, or could not be read then). Run Retrain to compute it, then ask again.");
		List<String> pos = q.positives().stream().map(s -> Similar.parse(s).toString()).toList();
		List<String> neg = q.negatives().stream().map(s -> Similar.parse(s).toString()).toList();
		RecommendStrategy strategy = Similar.Query.BEST_SCORE.equals(q.strategy()) ? RecommendStrategy.BEST_SCORE : RecommendStrategy.AVERAGE_VECTOR;
		List<Hit> hits = ix.recommend(pos, neg, q.k(), filter, strategy);
		Map<String, String> classNames = classNamesById(store);
		List<Similar.Item> items = new ArrayList<>();
		Map<Long, ImageRecord> names = new HashMap<>(); // only the images of the answers are read
		for (Hit h : hits) {
			Similar.ItemRef r = Similar.parse(h.id());
			Map<String, String> p = h.payload();
			long imageId = Long.parseLong(p.getOrDefault(VectorItem.IMAGE, "0"));
			ImageRecord im = names.computeIfAbsent(imageId, id -> store.image(id).orElse(null));
			items.add(new Similar.Item(h.id(), imageId, r.isRoi() ? r.id() : null, im == null ? "" : im.name(), h.score(),
					p.containsKey(VectorItem.CLASS) ? classNames.getOrDefault(p.get(VectorItem.CLASS), "class " + p.get(VectorItem.CLASS)) : null,
					p.get(VectorItem.STATUS), p.get(VectorItem.ORIGIN), p.get(VectorItem.USER), number(p.get(VectorItem.AREA)), number(p.get(VectorItem.MEAN))));
		}
		String message = items.isEmpty() ? "No " + what(task) + " matches" + (q.filter().isAll() ? "" : " the filter [" + q.filter() + "]")
				+ " besides the examples (model " + m.name() + ")." : "";
		return new Similar.Result(items, task, m.name(), ix.searchesExactly(filter), message);
	}

	/** The active version's items passing the filter, from their payloads now (no vector is read). */
	java.util.SortedSet<String> matching(Task task, ItemFilter f) {
		Filter filter = filter(f == null ? ItemFilter.ALL : f);
		ModelVersion m = activeOf(store, task);
		java.util.SortedSet<String> out = new java.util.TreeSet<>();
		index.payloads().all(m).forEach((id, p) -> {
			if (filter.test(p)) out.add(id);
		});
		return out;
	}

	/**
	 * Images and annotations of the items of one request: for a few items single reads, for many one read of the
	 * store (a bulk label of thousands of items must not make thousands of queries).
	 */
	private final class Lookup {
		private final Map<Long, ImageRecord> images;
		private final Map<Long, Annotation> annotations;
		private final Map<Long, List<Annotation>> imageLevel;

		Lookup(int items) {
			if (items <= 50) {
				images = null;
				annotations = null;
				imageLevel = null;
				return;
			}
			images = index.payloads().imageRecords();
			annotations = new HashMap<>();
			imageLevel = new HashMap<>();
			for (Annotation a : store.allAnnotations()) {
				annotations.put(a.id(), a);
				if (a.data().isImageLevel()) imageLevel.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
			}
		}

		Optional<ImageRecord> image(long id) {
			return images == null ? store.image(id) : Optional.ofNullable(images.get(id));
		}

		Optional<Annotation> annotation(long id) {
			return annotations == null ? store.annotation(id) : Optional.ofNullable(annotations.get(id));
		}

		List<Annotation> imageLevel(long imageId) {
			return imageLevel == null ? store.annotations(imageId).stream().filter(a -> a.data().isImageLevel()).toList()
					: imageLevel.getOrDefault(imageId, List.of());
		}
	}

	private void checkExists(Similar.ItemRef r, Lookup lookup) {
		if (r.isImage()) {
			if (lookup.image(r.id()).isEmpty()) throw new LabelLoopException("No image " + r.id() + " in the project.");
		} else if (r.isSlice()) {
			long imageId = r.target().imageId();
			ImageRecord im = lookup.image(imageId).orElseThrow(() -> new LabelLoopException("No image " + imageId + " in the project (item " + r + ")."));
			if (r.z() > ItemPayloads.slices(im))
				throw new LabelLoopException("No slice " + r.z() + " in " + im.name() + ": it has " + Math.max(1, im.slices()) + " slice(s)"
						+ (im.slices() > 1 ? "" : "; a 2D image is the item image:" + imageId) + ".");
		} else {
			Optional<Annotation> a = lookup.annotation(r.id());
			if (a.isEmpty()) throw new LabelLoopException("No ROI " + r.id() + " in the project (deleted since?).");
			if (a.get().data().isImageLevel())
				throw new LabelLoopException("Annotation " + r.id() + " is an image-level label, not a ROI; use image:" + a.get().imageId() + ".");
		}
	}

	private static Double number(String s) {
		return s == null ? null : Double.valueOf(s);
	}

	static Map<String, String> classNamesById(ProjectStore store) {
		Map<String, String> out = new HashMap<>();
		for (LabelClass c : store.classes()) out.put(Long.toString(c.id()), c.name());
		return out;
	}

	/** A class by name: exact, then ignoring case, then with {@code _} for spaces; else an error naming the known ones. */
	LabelClass classNamed(String name) {
		List<LabelClass> all = store.classes();
		String n = name == null ? "" : name.strip();
		for (LabelClass c : all) if (c.name().equals(n)) return c;
		for (LabelClass c : all) if (c.name().equalsIgnoreCase(n) || c.name().equalsIgnoreCase(n.replace('_', ' '))) return c;
		throw new LabelLoopException("No class '" + n + "' in this project; its classes are: "
				+ (all.isEmpty() ? "none yet (add some with Edit Classes)" : String.join(", ", all.stream().map(LabelClass::name).toList())) + ".");
	}

	/** The index filter of a user's filter, with class names checked against the project. */
	Filter filter(ItemFilter f) {
		Filter out = Filter.ALL.mustNot(ItemIndex.DELETED, "yes");
		if (!f.classes().isEmpty()) out = out.mustAny(VectorItem.CLASS, f.classes().stream().map(n -> Long.toString(classNamed(n).id())).toList());
		if (!f.statuses().isEmpty()) out = out.mustAny(VectorItem.STATUS, f.statuses().stream().map(s -> Status.parse(s).key()).toList());
		if (!f.origins().isEmpty()) {
			for (String o : f.origins())
				if (!List.of("human", "model", "weak").contains(o.toLowerCase(Locale.ROOT)))
					throw new LabelLoopException("Unknown origin '" + o + "' in the filter (expected human, model or weak).");
			out = out.mustAny(VectorItem.ORIGIN, f.origins().stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
		}
		if (!f.users().isEmpty()) out = out.mustAny(VectorItem.USER, f.users());
		if (f.notReviewed())
			out = out.mustNotAny(VectorItem.STATUS, java.util.Arrays.stream(Status.values()).filter(Status::isReviewed).map(Status::key).toArray(String[]::new));
		for (ItemFilter.Comparison c : f.measurements()) out = out.range(c.range());
		if (f.hasImageFields()) {
			Set<Long> images = f.imagesMatching(store.images(), store.imageMetadata());
			// no image passes: an id no image has, so the query answers nothing rather than everything
			out = out.mustAny(VectorItem.IMAGE, images.isEmpty() ? List.of("-1") : images.stream().map(String::valueOf).toList());
		}
		return out;
	}

	// ------------------------------------------------------------------ bulk labels

	/** Writes a bulk label as {@code user}, in one change set. */
	Similar.BulkReport bulkLabel(Similar.BulkLabel r, String user) {
		if (r.items().isEmpty()) throw new LabelLoopException("Nothing to label: select some items first.");
		LabelClass cls = classNamed(r.className());
		String query = r.query() == null || r.query().isBlank() ? "bulk" : r.query().strip();
		if (query.length() > 200) query = query.substring(0, 197) + "...";
		Origin origin = r.accepted() ? Origin.human(user) : Origin.weak(query);
		Set<String> unique = new LinkedHashSet<>(r.items());
		Lookup lookup = new Lookup(unique.size());
		List<Edit> edits = new ArrayList<>();
		int unchanged = 0, kept = 0, slices = 0;
		for (String s : unique) {
			Similar.ItemRef ref = Similar.parse(s);
			checkExists(ref, lookup);
			if (ref.isSlice()) {
				slices++;
				continue;
			}
			Optional<Annotation> current = ref.isImage() ? Labels.current(lookup.imageLevel(ref.id())) : lookup.annotation(ref.id());
			if (current.isEmpty()) {
				edits.add(new Edit.Create(ref.id(), new AnnotationData(null, cls.id(), origin, r.accepted() ? Status.ACCEPTED : Status.PROPOSED, null, Map.of())));
				continue;
			}
			Annotation a = current.get();
			AnnotationData d = a.data();
			boolean same = Long.valueOf(cls.id()).equals(d.classId());
			AnnotationData now;
			if (!r.accepted()) {
				if (!Labels.weakMayReplace(a)) {
					if (same) unchanged++;
					else kept++;
					continue;
				}
				now = d.withClass(cls.id()).withStatus(Status.PROPOSED);
			} else {
				if (Labels.isLabel(a) && same) {
					unchanged++;
					continue;
				}
				now = Labels.relabel(d, cls.id(), null).orElse(d);
			}
			if (same && d.status() == now.status() && d.origin().equals(origin)) {
				unchanged++;
				continue;
			}
			edits.add(new Edit.Update(a.id(), a.revision(), d.withPrediction(cls.id(), origin, now.status(), null, Map.of())));
		}
		if (edits.isEmpty() && slices == unique.size())
			throw new LabelLoopException("Slices get no class of their own: paint masks on a slice, or label its volume (image:<id>).");
		if (edits.isEmpty()) return new Similar.BulkReport(null, 0, unchanged, kept, slices);
		String desc = "Label " + edits.size() + " item(s) as " + cls.name() + (r.accepted() ? "" : " (weak: " + query + ")");
		ChangeSet cs = store.apply(user, desc, edits);
		return new Similar.BulkReport(cs, edits.size(), unchanged, kept, slices);
	}

}
