package org.labelloop.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.map.EmbeddingMap;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.vector.Filter;
import org.labelloop.core.vector.Hit;
import org.labelloop.core.vector.LuceneVectorIndex;
import org.labelloop.core.vector.QdrantVectorIndex;
import org.labelloop.core.vector.RecommendStrategy;
import org.labelloop.core.vector.VectorIndex;
import org.labelloop.core.vector.VectorItem;

/**
 * Connects the vector index and the 2D map to a project: one {@link LuceneVectorIndex} per model version in
 * {@code <project>/index/<version>/}, holding the embeddings Retrain computed for that version's items (images for an
 * image model, ROIs for a ROI model) with their payload; similarity queries and bulk labels in the project's terms;
 * the map of a version, computed in the background after Retrain.
 * <p>
 * <b>Keeping payloads current.</b> Vectors belong to a model version and never change; payloads (class, status,
 * origin, user) change whenever someone labels. The file {@code <project>/index/<version>.synced} holds the id of
 * the newest change set the index's payloads reflect (change set ids only grow). Before each query the index asks
 * the store for the annotations that got a revision in a later change set (undo and redo included), recomputes
 * those items' payloads, re-writes the ones that differ, commits, and then moves the mark. A crash between the two
 * leaves the mark behind, so the same refresh is done again: it is idempotent. Payloads name classes by id, so a
 * renamed class needs no refresh. The {@code .synced} file also marks a finished build: an index folder without it
 * (a build cut short) is deleted and rebuilt from the embeddings cached in the store.
 * <p>
 * Payload fields: {@code kind} (image | roi), {@code image} (image id), {@code split}, {@code model}, and when the
 * item has a label: {@code class} (class id), {@code status}, {@code origin} (human | model | weak), {@code user} (who
 * wrote its latest revision). An image's label is its newest image-level annotation that is not rejected.
 */
final class ItemIndex implements AutoCloseable {

	/** Project setting: the address of a Qdrant server holding this project's indexes; absent = the embedded index. */
	static final String QDRANT_URL = "vector.qdrant.url";
	/** Environment variable (or system property {@code labelloop.qdrant.apiKey}) with the Qdrant API key: never stored in the project. */
	static final String QDRANT_KEY_ENV = "LABELLOOP_QDRANT_API_KEY";
	/** Payload field of a deleted ROI: every query leaves it out. */
	static final String DELETED = "deleted";

	private final ProjectStore store;
	private final String user;
	private final EmbeddingMap maps;
	private final Map<String, VectorIndex> open = new HashMap<>();
	private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "LabelLoop map");
		t.setDaemon(true);
		t.setPriority(Thread.MIN_PRIORITY);
		return t;
	});
	private volatile boolean closed;

	ItemIndex(ProjectStore store, String user) {
		this.store = store;
		this.user = user;
		this.maps = new EmbeddingMap(store.folder());
	}

	// ------------------------------------------------------------------ the index of a model version

	private Path folder(ModelVersion m) {
		return LuceneVectorIndex.folderFor(store.folder(), m.name());
	}

	private Path syncFile(ModelVersion m) {
		Path f = folder(m);
		return f.resolveSibling(f.getFileName() + ".synced");
	}

	/** The index of a model version with current payloads; built from the cached embeddings when missing. */
	synchronized VectorIndex index(ModelVersion m) {
		checkOpen();
		VectorIndex ix = open.get(m.name());
		if (ix == null) {
			if (!Files.exists(syncFile(m))) ix = build(m);
			else ix = openIndex(m);
			open.put(m.name(), ix);
		}
		refresh(m, ix);
		return ix;
	}

	/** The Qdrant server's address if the project uses one. */
	Optional<String> qdrant() {
		return store.setting(QDRANT_URL).filter(u -> !u.isBlank());
	}

	private static String qdrantKey() {
		String k = System.getProperty("labelloop.qdrant.apiKey");
		return k != null ? k : System.getenv(QDRANT_KEY_ENV);
	}

	private VectorIndex openIndex(ModelVersion m) {
		Optional<String> url = qdrant();
		if (url.isPresent()) return new QdrantVectorIndex(url.get(), QdrantVectorIndex.collectionName(store.name(), m.name()), qdrantKey());
		return LuceneVectorIndex.open(folder(m), new LuceneVectorIndex.Options().autoCommit(false));
	}

	/**
	 * Points the project at a Qdrant server ({@code url}), or back at the embedded index ({@code null}). Indexes are
	 * rebuilt there from the cached embeddings at the next query; the API key comes from {@value #QDRANT_KEY_ENV}.
	 */
	synchronized void useQdrant(String url) {
		checkOpen();
		if (url != null && !url.isBlank()) new QdrantVectorIndex(url, "check", null).close(); // refuses a malformed address
		closeIndexes();
		try {
			try (Stream<Path> marks = Files.exists(store.folder().resolve("index")) ? Files.list(store.folder().resolve("index")) : Stream.empty()) {
				for (Path p : marks.filter(p -> p.getFileName().toString().endsWith(".synced")).toList()) Files.delete(p);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot reset the vector index marks in " + store.folder().resolve("index") + ": " + e.getMessage(), e);
		}
		store.setSetting(QDRANT_URL, url == null ? "" : url.strip());
	}

	private static void commit(VectorIndex ix) {
		if (ix instanceof LuceneVectorIndex l) l.commit();
	}

	/** Builds (again) the index of a model version from the store's cached embeddings; called after Retrain. */
	synchronized VectorIndex build(ModelVersion m) {
		checkOpen();
		VectorIndex old = open.remove(m.name());
		if (old != null) old.close();
		try {
			Files.createDirectories(folder(m).getParent());
			Files.deleteIfExists(syncFile(m));
			deleteTree(folder(m));
		} catch (IOException e) {
			throw new LabelLoopException("Cannot replace the vector index in " + folder(m) + ": " + e.getMessage(), e);
		}
		long mark = store.latestChangeSetId(); // read first: anything later is refreshed at the next query
		Map<String, Map<String, String>> payloads = payloads(m);
		Map<String, float[]> vectors = vectors(m, payloads.keySet());
		VectorIndex ix = openIndex(m);
		if (!(ix instanceof LuceneVectorIndex)) // a server's collection may hold items of an earlier build
			ix.delete(payloads.keySet().stream().filter(id -> !vectors.containsKey(id)).toList());
		List<VectorItem> batch = new ArrayList<>();
		for (Map.Entry<String, float[]> e : vectors.entrySet()) {
			batch.add(new VectorItem(e.getKey(), e.getValue(), payloads.get(e.getKey())));
			if (batch.size() == 1000) {
				ix.upsert(batch);
				batch.clear();
			}
		}
		ix.upsert(batch);
		commit(ix);
		writeMark(m, mark);
		open.put(m.name(), ix);
		return ix;
	}

	/** Re-writes the payloads of items changed since the index's mark (see the class comment). */
	private void refresh(ModelVersion m, VectorIndex ix) {
		long mark = readMark(m);
		long latest = store.latestChangeSetId();
		if (latest <= mark) return;
		Map<Long, Long> changed = store.annotationsChangedSince(mark);
		Set<String> items = new LinkedHashSet<>();
		boolean images = Trainer.IMAGE.equals(m.task());
		changed.forEach((ann, image) -> items.add(images ? Similar.item(Similar.IMAGE, image) : Similar.item(Similar.ROI, ann)));
		Map<Long, ImageRecord> imageRecords = imageRecords();
		List<VectorItem> update = new ArrayList<>();
		for (String id : items) {
			Optional<VectorItem> now = ix.get(id);
			if (now.isEmpty()) continue; // not embedded in this version
			Map<String, String> p = payload(m, Similar.parse(id), imageRecords);
			if (p == null) { // deleted: kept but hidden, so an undo of the deletion brings it back with its vector
				p = new LinkedHashMap<>(now.get().payload());
				p.put(DELETED, "yes");
			}
			if (!p.equals(now.get().payload())) update.add(new VectorItem(id, now.get().vector(), p));
		}
		ix.upsert(update);
		commit(ix);
		writeMark(m, latest);
	}

	private long readMark(ModelVersion m) {
		try {
			return Long.parseLong(Files.readString(syncFile(m), StandardCharsets.UTF_8).strip());
		} catch (IOException | NumberFormatException e) {
			return 0; // refresh everything: correct, only slower
		}
	}

	private void writeMark(ModelVersion m, long changeSet) {
		Path f = syncFile(m);
		try {
			Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
			Files.writeString(tmp, Long.toString(changeSet), StandardCharsets.UTF_8);
			Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write " + f + ": " + e.getMessage(), e);
		}
	}

	private static void deleteTree(Path folder) throws IOException {
		if (!Files.exists(folder)) return;
		try (Stream<Path> walk = Files.walk(folder)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
		}
	}

	// ------------------------------------------------------------------ payloads and vectors

	private Map<Long, ImageRecord> imageRecords() {
		Map<Long, ImageRecord> out = new HashMap<>();
		for (ImageRecord im : store.images()) out.put(im.id(), im);
		return out;
	}

	/** Payloads of every item of the version's task (images, or area ROIs), computed from the whole store at once. */
	private Map<String, Map<String, String>> payloads(ModelVersion m) {
		Map<Long, ImageRecord> images = imageRecords();
		Map<String, Map<String, String>> out = new LinkedHashMap<>();
		if (Trainer.IMAGE.equals(m.task())) {
			Map<Long, List<Annotation>> byImage = new HashMap<>();
			for (Annotation a : store.allAnnotations())
				if (a.data().isImageLevel()) byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
			for (ImageRecord im : images.values())
				out.put(Similar.item(Similar.IMAGE, im.id()), imagePayload(m, im, byImage.getOrDefault(im.id(), List.of())));
		} else {
			for (Annotation a : store.allAnnotations())
				if (isRoi(a) && images.containsKey(a.imageId())) out.put(Similar.item(Similar.ROI, a.id()), roiPayload(m, a, images.get(a.imageId())));
		}
		return out;
	}

	/** The payload of one item now, or {@code null} if it is gone (a deleted ROI, an image no longer there). */
	private Map<String, String> payload(ModelVersion m, Similar.ItemRef ref, Map<Long, ImageRecord> images) {
		if (ref.isImage()) {
			ImageRecord im = images.get(ref.id());
			if (im == null) return null;
			return imagePayload(m, im, store.annotations(im.id()).stream().filter(a -> a.data().isImageLevel()).toList());
		}
		Optional<Annotation> a = store.annotation(ref.id());
		if (a.isEmpty() || !isRoi(a.get()) || !images.containsKey(a.get().imageId())) return null;
		return roiPayload(m, a.get(), images.get(a.get().imageId()));
	}

	private static boolean isRoi(Annotation a) {
		Geometry g = a.data().geometry();
		return g != null && g.kind().isArea();
	}

	/** The label of an image: its newest image-level annotation that is not rejected (else the newest rejected one). */
	static Optional<Annotation> imageLabel(List<Annotation> imageLevel) {
		Optional<Annotation> live = imageLevel.stream().filter(a -> a.data().status() != Status.REJECTED).max(Comparator.comparingLong(Annotation::id));
		return live.isPresent() ? live : imageLevel.stream().max(Comparator.comparingLong(Annotation::id));
	}

	private static Map<String, String> imagePayload(ModelVersion m, ImageRecord im, List<Annotation> imageLevel) {
		Map<String, String> p = base(m, Similar.IMAGE, im);
		imageLabel(imageLevel).ifPresent(a -> label(p, a));
		return p;
	}

	private static Map<String, String> roiPayload(ModelVersion m, Annotation a, ImageRecord im) {
		Map<String, String> p = base(m, Similar.ROI, im);
		label(p, a);
		return p;
	}

	private static Map<String, String> base(ModelVersion m, String kind, ImageRecord im) {
		Map<String, String> p = new LinkedHashMap<>();
		p.put(VectorItem.KIND, kind);
		p.put(VectorItem.IMAGE, Long.toString(im.id()));
		p.put(VectorItem.SPLIT, im.split().key());
		p.put(VectorItem.MODEL, m.name());
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
	private Map<String, float[]> vectors(ModelVersion m, Set<String> items) {
		Map<Long, ImageRecord> images = imageRecords();
		Map<String, float[]> out = new LinkedHashMap<>();
		for (String id : items) {
			Similar.ItemRef ref = Similar.parse(id);
			Optional<float[]> v;
			if (ref.isImage()) v = store.embedding(m.embedder(), Target.image(ref.id()), images.get(ref.id()).sha256());
			else v = roiVector(m, ref.id(), images);
			v.filter(ItemIndex::usable).ifPresent(x -> out.put(id, x));
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

	// ------------------------------------------------------------------ queries

	private static String what(String task) {
		return Trainer.IMAGE.equals(task) ? "image" : "ROI";
	}

	private ModelVersion active(String task) {
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
		String task = refs.get(0).task();
		if (refs.stream().anyMatch(r -> !r.task().equals(task)))
			throw new LabelLoopException("Examples mix images and ROIs; give examples of one kind (images and ROIs have separate models and indexes).");
		Lookup lookup = new Lookup(refs.size());
		for (Similar.ItemRef r : refs) checkExists(r, lookup);
		Filter filter = filter(q.filter());
		ModelVersion m = active(task);
		VectorIndex ix = index(m);
		for (Similar.ItemRef r : refs)
			if (ix.get(r.toString()).isEmpty())
				throw new LabelLoopException("Item '" + r + "' has no embedding yet in model " + m.name() + " (it was added or drawn after the last"
						+ " Retrain, or could not be read then). Run Retrain to compute it, then ask again.");
		List<String> pos = q.positives().stream().map(s -> Similar.parse(s).toString()).toList();
		List<String> neg = q.negatives().stream().map(s -> Similar.parse(s).toString()).toList();
		RecommendStrategy strategy = Similar.Query.BEST_SCORE.equals(q.strategy()) ? RecommendStrategy.BEST_SCORE : RecommendStrategy.AVERAGE_VECTOR;
		List<Hit> hits = ix.recommend(pos, neg, q.k(), filter, strategy);
		Map<String, String> classNames = classNamesById();
		List<Similar.Item> items = new ArrayList<>();
		Map<Long, ImageRecord> names = new HashMap<>(); // only the images of the answers are read
		for (Hit h : hits) {
			Similar.ItemRef r = Similar.parse(h.id());
			Map<String, String> p = h.payload();
			long imageId = Long.parseLong(p.getOrDefault(VectorItem.IMAGE, "0"));
			ImageRecord im = names.computeIfAbsent(imageId, id -> store.image(id).orElse(null));
			items.add(new Similar.Item(h.id(), imageId, r.isImage() ? null : r.id(), im == null ? "" : im.name(), h.score(),
					p.containsKey(VectorItem.CLASS) ? classNames.getOrDefault(p.get(VectorItem.CLASS), "class " + p.get(VectorItem.CLASS)) : null,
					p.get(VectorItem.STATUS), p.get(VectorItem.ORIGIN), p.get(VectorItem.USER)));
		}
		String message = items.isEmpty() ? "No " + what(task) + " matches" + (q.filter().isAll() ? "" : " the filter [" + q.filter() + "]")
				+ " besides the examples (model " + m.name() + ")." : "";
		return new Similar.Result(items, task, m.name(), ix instanceof LuceneVectorIndex l && l.searchesExactly(filter), message);
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
			images = imageRecords();
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
		} else {
			Optional<Annotation> a = lookup.annotation(r.id());
			if (a.isEmpty()) throw new LabelLoopException("No ROI " + r.id() + " in the project (deleted since?).");
			if (a.get().data().isImageLevel())
				throw new LabelLoopException("Annotation " + r.id() + " is an image-level label, not a ROI; use image:" + a.get().imageId() + ".");
		}
	}

	private Map<String, String> classNamesById() {
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
		Filter out = Filter.ALL.mustNot(DELETED, "yes");
		if (!f.classes().isEmpty()) out = out.mustAny(VectorItem.CLASS, f.classes().stream().map(n -> Long.toString(classNamed(n).id())).toList());
		if (!f.statuses().isEmpty()) out = out.mustAny(VectorItem.STATUS, f.statuses().stream().map(s -> Status.parse(s).key()).toList());
		if (!f.origins().isEmpty()) {
			for (String o : f.origins())
				if (!List.of("human", "model", "weak").contains(o.toLowerCase(Locale.ROOT)))
					throw new LabelLoopException("Unknown origin '" + o + "' in the filter (expected human, model or weak).");
			out = out.mustAny(VectorItem.ORIGIN, f.origins().stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
		}
		if (!f.users().isEmpty()) out = out.mustAny(VectorItem.USER, f.users());
		if (f.notReviewed()) out = out.mustNotAny(VectorItem.STATUS, Status.ACCEPTED.key(), Status.CORRECTED.key(), Status.REJECTED.key());
		return out;
	}

	// ------------------------------------------------------------------ bulk labels

	Similar.BulkReport bulkLabel(Similar.BulkLabel r) {
		if (r.items().isEmpty()) throw new LabelLoopException("Nothing to label: select some items first.");
		LabelClass cls = classNamed(r.className());
		String query = r.query() == null || r.query().isBlank() ? "bulk" : r.query().strip();
		if (query.length() > 200) query = query.substring(0, 197) + "...";
		Origin origin = r.accepted() ? Origin.human(user) : Origin.weak(query);
		Set<String> unique = new LinkedHashSet<>(r.items());
		Lookup lookup = new Lookup(unique.size());
		List<Edit> edits = new ArrayList<>();
		int unchanged = 0, kept = 0;
		for (String s : unique) {
			Similar.ItemRef ref = Similar.parse(s);
			checkExists(ref, lookup);
			Optional<Annotation> current = ref.isImage()
					? imageLabel(lookup.imageLevel(ref.id()).stream().filter(a -> a.data().status() != Status.REJECTED).toList())
					: lookup.annotation(ref.id());
			if (current.isEmpty()) {
				edits.add(new Edit.Create(ref.id(), new AnnotationData(null, cls.id(), origin, r.accepted() ? Status.ACCEPTED : Status.PROPOSED, null, Map.of())));
				continue;
			}
			Annotation a = current.get();
			AnnotationData d = a.data();
			boolean decided = Review.decided(a);
			boolean same = Long.valueOf(cls.id()).equals(d.classId());
			Status status;
			if (!r.accepted()) {
				// a weak label never overwrites what a person decided
				if (decided) {
					if (same) unchanged++;
					else kept++;
					continue;
				}
				status = Status.PROPOSED;
			} else {
				if (decided && same) {
					unchanged++;
					continue;
				}
				status = d.classId() == null || same ? Status.ACCEPTED : Status.CORRECTED;
			}
			if (same && d.status() == status && d.origin().equals(origin)) {
				unchanged++;
				continue;
			}
			edits.add(new Edit.Update(a.id(), a.revision(), d.withPrediction(cls.id(), origin, status, null, Map.of())));
		}
		if (edits.isEmpty()) return new Similar.BulkReport(null, 0, unchanged, kept);
		String desc = "Label " + edits.size() + " item(s) as " + cls.name() + (r.accepted() ? "" : " (weak: " + query + ")");
		ChangeSet cs = store.apply(user, desc, edits);
		return new Similar.BulkReport(cs, edits.size(), unchanged, kept);
	}

	// ------------------------------------------------------------------ the map

	/** The active version's layout if cached, else the newest older version's cached layout (marked not current). */
	Optional<Similar.MapLayout> mapNow(String task) {
		Optional<ModelVersion> active = store.activeModel(task);
		if (active.isEmpty()) return Optional.empty();
		Optional<EmbeddingMap.Layout> l = maps.cached(active.get().name());
		if (l.isPresent()) return Optional.of(layout(active.get(), l.get(), true));
		List<ModelVersion> older = new ArrayList<>(store.models().stream()
				.filter(m -> m.task().equals(task) && m.state() == ModelVersion.State.READY && m.id() != active.get().id()).toList());
		older.sort(Comparator.comparingLong(ModelVersion::id).reversed());
		for (ModelVersion m : older) {
			Optional<EmbeddingMap.Layout> o = maps.cached(m.name());
			if (o.isPresent()) return Optional.of(layout(m, o.get(), false));
		}
		return Optional.empty();
	}

	/** The active version's layout, computed now (UMAP; seconds to a minute) unless cached. */
	Similar.MapLayout map(String task, Progress progress) {
		if (!Trainer.IMAGE.equals(task) && !Trainer.ROI.equals(task))
			throw new LabelLoopException("Unknown task '" + task + "' (expected image or roi).");
		ModelVersion m = active(task);
		synchronized (mapLock) { // the window waits for the background computation rather than doing it twice
			return computeMap(m, progress);
		}
	}

	private final Object mapLock = new Object();

	private Similar.MapLayout computeMap(ModelVersion m, Progress progress) {
		Optional<EmbeddingMap.Layout> cached = maps.cached(m.name());
		if (cached.isPresent()) return layout(m, cached.get(), true);
		VectorIndex ix = index(m);
		List<VectorItem> items;
		if (ix instanceof LuceneVectorIndex l) items = new ArrayList<>(l.items());
		else {
			items = new ArrayList<>();
			for (String id : payloads(m).keySet()) ix.get(id).ifPresent(items::add);
		}
		items.sort(Comparator.comparing(VectorItem::id));
		EmbeddingMap.Layout l = maps.layout(m.name(), items.stream().map(VectorItem::id).toList(), items.stream().map(VectorItem::vector).toList(), progress);
		return layout(m, l, true);
	}

	/** Computes the active version's map in the background (after Retrain); errors go nowhere: the window asks again. */
	void computeMapLater(String task) {
		if (closed) return;
		background.submit(() -> {
			try {
				map(task, new Progress() {
					@Override public void report(double fraction, String message) { }
					@Override public boolean isCancelled() { return closed; }
				});
			} catch (RuntimeException e) {
				// cancelled or failed: the map is computed when the window opens
			}
		});
	}

	private Similar.MapLayout layout(ModelVersion m, EmbeddingMap.Layout l, boolean current) {
		Map<String, String> names = classNamesById();
		Map<String, Map<String, String>> payloads = payloads(m);
		Map<Target, Prediction> predictions = new HashMap<>();
		for (Prediction p : store.predictions(m.id())) predictions.put(p.target(), p);
		List<Similar.Point> points = new ArrayList<>(l.size());
		for (int i = 0; i < l.size(); i++) {
			String id = l.ids().get(i);
			Similar.ItemRef r = Similar.parse(id);
			Map<String, String> p = payloads.get(id);
			if (p == null) continue; // a deleted ROI, or an image no longer in the project
			long imageId = Long.parseLong(p.get(VectorItem.IMAGE));
			Prediction pr = predictions.get(r.isImage() ? Target.image(r.id()) : Target.annotation(r.id()));
			String cls = p.get(VectorItem.CLASS);
			points.add(new Similar.Point(id, imageId, l.x(i), l.y(i), cls == null ? null : names.getOrDefault(cls, "class " + cls), p.get(VectorItem.STATUS),
					pr == null || pr.predictedClass() == null ? null : names.getOrDefault(Long.toString(pr.predictedClass()), "class " + pr.predictedClass()),
					pr == null ? Double.NaN : pr.confidence()));
		}
		return new Similar.MapLayout(m.task(), m.name(), current, points, l.method().name().toLowerCase(Locale.ROOT), l.note());
	}

	private void checkOpen() {
		if (closed) throw new LabelLoopException("The project is closed.");
	}

	@Override
	public void close() {
		closed = true;
		background.shutdownNow();
		try {
			background.awaitTermination(20, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		closeIndexes();
	}

	private synchronized void closeIndexes() {
		for (VectorIndex ix : open.values()) {
			try {
				ix.close();
			} catch (RuntimeException e) {
				// derived data: nothing to lose
			}
		}
		open.clear();
	}
}
