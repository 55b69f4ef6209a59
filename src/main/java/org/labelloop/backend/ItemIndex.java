package org.labelloop.backend;

import org.labelloop.core.store.Folders;
import org.labelloop.core.model.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.vector.LuceneVectorIndex;
import org.labelloop.core.vector.VectorBackend;
import org.labelloop.core.vector.VectorIndex;
import org.labelloop.core.vector.VectorItem;

/**
 * Connects the vector index and the 2D map to a project: one {@link LuceneVectorIndex} per <em>space</em>, a task and
 * the embedder of its versions ({@code <project>/index/<task>-<embedder>/}, or a Qdrant collection), holding the
 * cached embeddings of the task's items (images for an image model, ROIs for a ROI model) under that embedder, with
 * their payload ({@link ItemPayloads}). Every version of a task with the same embedder uses the same index: what it
 * holds depends on the embedder and the items, not on the classifier trained on them. One per project engine, since
 * Lucene allows one writer per folder. Queries and bulk labels are {@link SimilarQueries}; the 2D map is
 * {@link ItemMaps}.
 * <p>
 * <b>Retrain updates, it does not rebuild.</b> Beside the index, {@code <space>.contents} lists what it holds: each
 * item's id and a hash of its vector and payload. Retrain ({@link #update}) upserts only the items whose hash differs
 * (new images, changed images or ROI shapes, payloads changed outside a change set, such as a split) and deletes the
 * ones gone, while queries go on against the same index. A 100,000-image project that got 100 new labels rewrites
 * those 100 payloads, where a rebuild of its HNSW graph took about 45 s. A new embedder (a new space) is built from
 * scratch while the active version's own index keeps answering. A crash between an update's commit and its contents
 * file leaves the old list, so the same difference is applied again: upserts and deletes are idempotent.
 * <p>
 * <b>Keeping payloads current.</b> Vectors of an item under an embedder change only with the item; payloads (class,
 * status, origin, user) change whenever someone labels. The file {@code <project>/index/<space>.synced} holds the id of
 * the newest change set the index's payloads reflect (change set ids only grow). Before each query the index asks
 * the store for the annotations that got a revision in a later change set (undo and redo included), recomputes
 * those items' payloads, re-writes the ones that differ, commits, and then moves the mark. A crash between the two
 * leaves the mark behind, so the same refresh is done again: it is idempotent. Payloads name classes by id, so a
 * renamed class needs no refresh. The {@code .synced} file also marks a finished build: an index folder without it
 * (a build cut short) is deleted and rebuilt from the embeddings cached in the store.
 * <p>
 * Payload fields: {@code kind} (image | roi), {@code image} (image id), {@code split}, and when the
 * item has a label: {@code class} (class id), {@code status}, {@code origin} (human | model | weak), {@code user} (who
 * wrote its latest revision). An image's label is its newest image-level annotation that is not rejected.
 */
final class ItemIndex implements AutoCloseable {

	/** Project setting: the address of a Qdrant server holding this project's indexes; absent = the embedded index. */
	static final String QDRANT_URL = VectorBackend.Qdrant.URL;
	/** Where indexes can live ({@link VectorBackend}, found with ServiceLoader): the embedded default and servers. */
	private static final List<VectorBackend> BACKENDS = List.copyOf(
			java.util.ServiceLoader.load(VectorBackend.class, VectorBackend.class.getClassLoader()).stream().map(java.util.ServiceLoader.Provider::get).toList());
	/** Environment variable (or system property {@code labelloop.qdrant.apiKey}) with the Qdrant API key: never stored in the project. */
	static final String QDRANT_KEY_ENV = "LABELLOOP_QDRANT_API_KEY";
	/** Payload field of a deleted ROI: every query leaves it out. */
	static final String DELETED = "deleted";

	private final ProjectStore store;
	private final ItemPayloads payloads;
	/** The open indexes by space ({@link #space}). */
	private final Map<String, VectorIndex> open = new HashMap<>();
	/** The spaces whose index is being built now: a build holds no lock, so the other spaces stay queryable. */
	private final Set<String> building = new java.util.HashSet<>();
	/** Updates running (Retrain's): queries go on beside them, a switch to Qdrant waits for them. */
	private int updating;
	private volatile boolean closed;

	/**
	 * Where the embedded indexes live: {@code <project>/index}. For a store that several server processes share (on
	 * PostgreSQL) each engine keeps its own, {@code index/process-<host>-<pid>-<n>}, since Lucene lets one process write
	 * a folder; an index is a cache of the store's embeddings, rebuilt when missing, so the folders of processes that
	 * are gone are deleted.
	 */
	private final Path root;

	ItemIndex(ProjectStore store) {
		this.store = store;
		this.payloads = new ItemPayloads(store);
		this.root = store.sharedByProcesses() ? processFolder(indexRoot(store.folder())) : indexRoot(store.folder());
		deleteVersionFolders();
	}

	/**
	 * Deletes the indexes of one model version each that projects made before indexes were kept per space
	 * ({@code index/<version>/} and its {@code .synced}): derived data, now never read.
	 */
	private void deleteVersionFolders() {
		if (!Files.isDirectory(root)) return;
		Set<String> spaces = new java.util.HashSet<>();
		List<ModelVersion> models = store.models();
		for (ModelVersion m : models) spaces.add(LuceneVectorIndex.safeName(space(m)));
		try {
			for (ModelVersion m : models) {
				String name = LuceneVectorIndex.safeName(m.name());
				if (spaces.contains(name)) continue;
				Folders.delete(root.resolve(name));
				Files.deleteIfExists(root.resolve(name + ".synced"));
			}
		} catch (IOException e) {
			// an old index left behind costs only disk space
		}
	}

	/** Engines of shared stores opened in this process: each gets a folder of its own. */
	private static final java.util.concurrent.atomic.AtomicInteger ENGINES = new java.util.concurrent.atomic.AtomicInteger();

	private static Path processFolder(Path index) {
		String prefix = "process-" + LuceneVectorIndex.safeName(hostName()) + "-";
		try (Stream<Path> all = Files.exists(index) ? Files.list(index) : Stream.empty()) {
			for (Path p : all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
				String[] pidAndEngine = p.getFileName().toString().substring(prefix.length()).split("-");
				if (pidAndEngine[0].matches("\\d+") && ProcessHandle.of(Long.parseLong(pidAndEngine[0])).isEmpty()) Folders.delete(p);
			}
		} catch (IOException e) {
			// an old process's index left behind costs only disk space
		}
		return index.resolve(prefix + ProcessHandle.current().pid() + "-" + ENGINES.incrementAndGet());
	}

	private static String hostName() {
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		} catch (java.net.UnknownHostException e) {
			return "localhost";
		}
	}

	ItemPayloads payloads() {
		return payloads;
	}

	// ------------------------------------------------------------------ the index of a model version

	/** The space of a version: its task and embedder ({@code image-features-v2}); the versions of one space share an index. */
	static String space(ModelVersion m) {
		return m.task().key() + "-" + m.embedder();
	}

	/** A space's folder in the project: the embedded index itself, and beside it the payload mark (for every backend). */
	private Path folder(ModelVersion m) {
		return root.resolve(LuceneVectorIndex.safeName(space(m)));
	}

	private static Path indexRoot(Path project) {
		return project.resolve("index");
	}

	/** The folder of the index version m uses, for a project whose store only one process writes. */
	static Path folderOf(Path project, ModelVersion m) {
		return indexRoot(project).resolve(LuceneVectorIndex.safeName(space(m)));
	}

	private Path syncFile(ModelVersion m) {
		return beside(m, ".synced");
	}

	private Path contentsFile(ModelVersion m) {
		return beside(m, ".contents");
	}

	private Path beside(ModelVersion m, String suffix) {
		Path f = folder(m);
		return f.resolveSibling(f.getFileName() + suffix);
	}

	/**
	 * The index of a model version with current payloads; built from the cached embeddings when missing. While that
	 * version's index is being built it waits for it; other versions' indexes answer meanwhile.
	 */
	VectorIndex index(ModelVersion m) {
		while (true) {
			VectorIndex ix;
			synchronized (this) {
				ix = opened(m);
			}
			if (ix == null) ix = build(m, true);
			synchronized (this) {
				checkOpen();
				if (building.contains(space(m)) || open.get(space(m)) != ix) continue; // rebuilt meanwhile: take that one
				refresh(m, ix);
				return ix;
			}
		}
	}

	/** The open index of m's space, opened if it was built; null if it must be built. Call holding the monitor. */
	private VectorIndex opened(ModelVersion m) {
		checkOpen();
		awaitBuilt(m);
		VectorIndex ix = open.get(space(m));
		if (ix == null && Files.exists(syncFile(m))) {
			ix = openIndex(m);
			open.put(space(m), ix);
		}
		return ix;
	}

	/** Waits (holding the monitor, which {@code wait} releases) until no build of m's space is running. */
	private void awaitBuilt(ModelVersion m) {
		while (building.contains(space(m))) {
			try {
				wait();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new LabelLoopException("Interrupted while the vector index of model " + m.name() + " was being built.");
			}
			checkOpen();
		}
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
		for (VectorBackend b : BACKENDS) {
			if (b.setting() == null) continue;
			Optional<String> address = store.setting(b.setting()).filter(u -> !u.isBlank());
			if (address.isPresent()) return b.open(folder(m), store.name(), space(m), address.get(), qdrantKey());
		}
		VectorBackend embedded = BACKENDS.stream().filter(b -> b.setting() == null).findFirst()
				.orElseThrow(() -> new LabelLoopException("No embedded vector index is installed (META-INF/services/" + VectorBackend.class.getName() + ")."));
		return embedded.open(folder(m), store.name(), space(m), null, null);
	}

	/**
	 * Points the project at a Qdrant server ({@code url}), or back at the embedded index ({@code null}). Indexes are
	 * rebuilt there from the cached embeddings at the next query; the API key comes from {@value #QDRANT_KEY_ENV}.
	 */
	synchronized void useQdrant(String url) {
		checkOpen();
		while (!building.isEmpty() || updating > 0) { // a build finishing after the switch would mark its old index as current
			try {
				wait();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new LabelLoopException("Interrupted while waiting for a vector index build to finish.");
			}
		}
		if (url != null && !url.isBlank()) new VectorBackend.Qdrant().check(url); // refuses a malformed address
		closeIndexes();
		try {
			try (Stream<Path> marks = Files.exists(root) ? Files.list(root) : Stream.empty()) {
				for (Path p : marks.filter(p -> p.getFileName().toString().endsWith(".synced")).toList()) Files.delete(p);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot reset the vector index marks in " + root + ": " + e.getMessage(), e);
		}
		store.setSetting(QDRANT_URL, url == null ? "" : url.strip());
	}

	/**
	 * Brings the index of m's space up to date with the store (see the class comment); called by Retrain before the
	 * version becomes active. Queries go on against the same index meanwhile; a space without a built index (or
	 * without its contents list) is built from scratch, holding no lock, so the other spaces stay queryable.
	 */
	Update update(ModelVersion m) {
		VectorIndex ix;
		Map<String, Long> held;
		synchronized (this) {
			ix = opened(m);
			held = ix == null ? null : readContents(m);
			if (held == null) ix = null;
			else updating++;
		}
		if (ix == null) {
			build(m, false);
			return new Update(space(m), true, readContents(m).size(), 0);
		}
		try {
			long mark = store.latestChangeSetId(); // read first: the payloads below are at least this new
			Map<String, Map<String, String>> payloads = this.payloads.all(m);
			Map<String, float[]> vectors = this.payloads.vectors(m, payloads.keySet());
			Map<String, Long> now = contents(vectors, payloads);
			List<String> gone = held.keySet().stream().filter(id -> !now.containsKey(id)).toList();
			List<VectorItem> changed = new ArrayList<>();
			now.forEach((id, hash) -> {
				if (!hash.equals(held.get(id))) changed.add(new VectorItem(id, vectors.get(id), payloads.get(id)));
			});
			ix.delete(gone);
			upsert(ix, changed);
			ix.commit();
			writeContents(m, now);
			synchronized (this) {
				// a query's refresh may have written newer payloads that the upserts above replaced with these: going
				// back to this mark makes the next query refresh them again
				if (open.get(space(m)) == ix && readMark(m) > mark) writeMark(m, mark);
			}
			return new Update(space(m), false, changed.size(), gone.size());
		} finally {
			synchronized (this) {
				updating--;
				notifyAll();
			}
		}
	}

	/** What {@link #update} did: built the space's index from scratch, or upserted and deleted so many items. */
	record Update(String space, boolean built, int upserted, int deleted) {
		@Override
		public String toString() {
			return built ? "built the index of " + space + " (" + upserted + " items)"
					: "updated the index of " + space + ": " + upserted + " new or changed, " + deleted + " gone";
		}
	}

	/** Upserts in batches of 1,000 from every core (Lucene builds the HNSW graph on the indexing threads). */
	private static void upsert(VectorIndex ix, List<VectorItem> items) {
		IntStream.range(0, (items.size() + 999) / 1000).parallel().forEach(b -> ix.upsert(items.subList(b * 1000, Math.min(items.size(), b * 1000 + 1000))));
	}

	/** What an index holds: each item's id and a hash of its vector and payload. */
	static Map<String, Long> contents(Map<String, float[]> vectors, Map<String, Map<String, String>> payloads) {
		Map<String, Long> out = new HashMap<>(vectors.size() * 2);
		vectors.forEach((id, v) -> {
			long h = 0x9E3779B97F4A7C15L;
			for (float x : v) h = (h ^ Float.floatToIntBits(x)) * 0x100000001B3L;
			h = h * 31 + v.length;
			for (Map.Entry<String, String> e : new java.util.TreeMap<>(payloads.get(id)).entrySet()) h = (h * 31 + e.getKey().hashCode()) * 31 + e.getValue().hashCode();
			out.put(id, h);
		});
		return out;
	}

	private static final String CONTENTS_MAGIC = "labelloop-index-contents-1";

	/** The contents list of m's space, or null if missing or unreadable (then the index is built again). */
	private Map<String, Long> readContents(ModelVersion m) {
		Path f = contentsFile(m);
		if (!Files.isRegularFile(f)) return null;
		try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
			if (!CONTENTS_MAGIC.equals(in.readUTF())) return null;
			int n = in.readInt();
			Map<String, Long> out = new HashMap<>(n * 2);
			for (int i = 0; i < n; i++) out.put(in.readUTF(), in.readLong());
			return out;
		} catch (IOException | RuntimeException e) {
			return null;
		}
	}

	private void writeContents(ModelVersion m, Map<String, Long> contents) {
		Path f = contentsFile(m);
		try {
			Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
			try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
				out.writeUTF(CONTENTS_MAGIC);
				out.writeInt(contents.size());
				for (Map.Entry<String, Long> e : contents.entrySet()) {
					out.writeUTF(e.getKey());
					out.writeLong(e.getValue());
				}
			}
			Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write " + f + ": " + e.getMessage(), e);
		}
	}

	/** @param ifMissing a query's first use: keep an index another thread built meanwhile */
	private VectorIndex build(ModelVersion m, boolean ifMissing) {
		synchronized (this) {
			checkOpen();
			awaitBuilt(m);
			if (ifMissing && open.containsKey(space(m))) return open.get(space(m));
			building.add(space(m));
			VectorIndex old = open.remove(space(m));
			if (old != null) old.close();
		}
		VectorIndex ix = null;
		boolean kept = false;
		try {
			try {
				Files.createDirectories(folder(m).getParent());
				Files.deleteIfExists(syncFile(m));
				Files.deleteIfExists(contentsFile(m));
				Folders.delete(folder(m));
			} catch (IOException e) {
				throw new LabelLoopException("Cannot replace the vector index in " + folder(m) + ": " + e.getMessage(), e);
			}
			long mark = store.latestChangeSetId(); // read first: anything later is refreshed at the next query
			Map<String, Map<String, String>> payloads = this.payloads.all(m);
			Map<String, float[]> vectors = this.payloads.vectors(m, payloads.keySet());
			ix = openIndex(m);
			// a server's collection may hold items of an earlier build (a new embedded index is empty: nothing to delete)
			ix.delete(payloads.keySet().stream().filter(id -> !vectors.containsKey(id)).toList());
			List<VectorItem> items = new ArrayList<>();
			for (Map.Entry<String, float[]> e : vectors.entrySet()) items.add(new VectorItem(e.getKey(), e.getValue(), payloads.get(e.getKey())));
			upsert(ix, items);
			ix.commit();
			writeContents(m, contents(vectors, payloads));
			writeMark(m, mark);
			synchronized (this) {
				checkOpen();
				open.put(space(m), ix);
				kept = true;
			}
			return ix;
		} finally {
			if (!kept && ix != null) ix.close();
			synchronized (this) {
				building.remove(space(m));
				notifyAll();
			}
		}
	}

	/** Re-writes the payloads of items changed since the index's mark (see the class comment). */
	private void refresh(ModelVersion m, VectorIndex ix) {
		long mark = readMark(m);
		long latest = store.latestChangeSetId();
		if (latest <= mark) return;
		Map<Long, Long> changed = store.annotationsChangedSince(mark);
		Set<String> items = new LinkedHashSet<>();
		boolean images = Task.IMAGE.equals(m.task());
		changed.forEach((ann, image) -> items.add(images ? Similar.item(Similar.IMAGE, image) : Similar.item(Similar.ROI, ann)));
		Map<Long, ImageRecord> imageRecords = payloads.imageRecords();
		List<VectorItem> update = new ArrayList<>();
		for (String id : items) {
			Optional<VectorItem> now = ix.get(id);
			if (now.isEmpty()) continue; // not embedded
			Map<String, String> p = payloads.payload(m, Similar.parse(id), imageRecords);
			if (p == null) { // deleted: kept but hidden, so an undo of the deletion brings it back with its vector
				p = new LinkedHashMap<>(now.get().payload());
				p.put(DELETED, "yes");
			}
			if (!p.equals(now.get().payload())) update.add(new VectorItem(id, now.get().vector(), p));
		}
		ix.upsert(update);
		ix.commit();
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

	void checkOpen() {
		if (closed) throw new LabelLoopException("The project is closed.");
	}

	@Override
	public void close() {
		closed = true;
		closeIndexes();
		if (store.sharedByProcesses()) try {
			Folders.delete(root); // this engine's own copy; the next one builds its own from the store
		} catch (IOException e) {
			// derived data: left for the next start's clean-up
		}
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
