package org.labelloop.backend;

import org.labelloop.core.model.Task;
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
 * Connects the vector index and the 2D map to a project: one {@link LuceneVectorIndex} per model version in
 * {@code <project>/index/<version>/} (or a Qdrant collection), holding the embeddings Retrain computed for that
 * version's items (images for an image model, ROIs for a ROI model) with their payload ({@link ItemPayloads}). One
 * per project engine, since Lucene allows one writer per folder. Queries and bulk labels are {@link SimilarQueries};
 * the 2D map is {@link ItemMaps}.
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
	private final Map<String, VectorIndex> open = new HashMap<>();
	/** The versions whose index is being built now: a build holds no lock, so the other versions stay queryable. */
	private final Set<String> building = new java.util.HashSet<>();
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
	}

	/** Engines of shared stores opened in this process: each gets a folder of its own. */
	private static final java.util.concurrent.atomic.AtomicInteger ENGINES = new java.util.concurrent.atomic.AtomicInteger();

	private static Path processFolder(Path index) {
		String prefix = "process-" + LuceneVectorIndex.safeName(hostName()) + "-";
		try (Stream<Path> all = Files.exists(index) ? Files.list(index) : Stream.empty()) {
			for (Path p : all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
				String[] pidAndEngine = p.getFileName().toString().substring(prefix.length()).split("-");
				if (pidAndEngine[0].matches("\\d+") && ProcessHandle.of(Long.parseLong(pidAndEngine[0])).isEmpty()) deleteTree(p);
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

	/** A version's folder in the project: the embedded index itself, and beside it the payload mark (for every backend). */
	private Path folder(ModelVersion m) {
		return root.resolve(LuceneVectorIndex.safeName(m.name()));
	}

	private static Path indexRoot(Path project) {
		return project.resolve("index");
	}

	/** {@code <project>/index/<model-version>}, for a project whose store only one process writes. */
	static Path folderOf(Path project, String version) {
		return indexRoot(project).resolve(LuceneVectorIndex.safeName(version));
	}

	private Path syncFile(ModelVersion m) {
		Path f = folder(m);
		return f.resolveSibling(f.getFileName() + ".synced");
	}

	/**
	 * The index of a model version with current payloads; built from the cached embeddings when missing. While that
	 * version's index is being built it waits for it; other versions' indexes answer meanwhile.
	 */
	VectorIndex index(ModelVersion m) {
		while (true) {
			VectorIndex ix;
			synchronized (this) {
				checkOpen();
				awaitBuilt(m);
				ix = open.get(m.name());
				if (ix == null && Files.exists(syncFile(m))) {
					ix = openIndex(m);
					open.put(m.name(), ix);
				}
			}
			if (ix == null) ix = build(m, true);
			synchronized (this) {
				checkOpen();
				if (building.contains(m.name()) || open.get(m.name()) != ix) continue; // rebuilt meanwhile: take that one
				refresh(m, ix);
				return ix;
			}
		}
	}

	/** Waits (holding the monitor, which {@code wait} releases) until no build of version m is running. */
	private void awaitBuilt(ModelVersion m) {
		while (building.contains(m.name())) {
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
			if (address.isPresent()) return b.open(folder(m), store.name(), m.name(), address.get(), qdrantKey());
		}
		VectorBackend embedded = BACKENDS.stream().filter(b -> b.setting() == null).findFirst()
				.orElseThrow(() -> new LabelLoopException("No embedded vector index is installed (META-INF/services/" + VectorBackend.class.getName() + ")."));
		return embedded.open(folder(m), store.name(), m.name(), null, null);
	}

	/**
	 * Points the project at a Qdrant server ({@code url}), or back at the embedded index ({@code null}). Indexes are
	 * rebuilt there from the cached embeddings at the next query; the API key comes from {@value #QDRANT_KEY_ENV}.
	 */
	synchronized void useQdrant(String url) {
		checkOpen();
		while (!building.isEmpty()) { // a build finishing after the switch would mark its old index as current
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
	 * Builds (again) the index of a model version from the store's cached embeddings; called by Retrain before the
	 * version becomes active. Holds no lock while it writes, so queries on other versions (the active one) go on.
	 */
	VectorIndex build(ModelVersion m) {
		return build(m, false);
	}

	/** @param ifMissing a query's first use: keep an index another thread built meanwhile */
	private VectorIndex build(ModelVersion m, boolean ifMissing) {
		synchronized (this) {
			checkOpen();
			awaitBuilt(m);
			if (ifMissing && open.containsKey(m.name())) return open.get(m.name());
			building.add(m.name());
			VectorIndex old = open.remove(m.name());
			if (old != null) old.close();
		}
		VectorIndex ix = null;
		boolean kept = false;
		try {
			try {
				Files.createDirectories(folder(m).getParent());
				Files.deleteIfExists(syncFile(m));
				deleteTree(folder(m));
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
			VectorIndex target = ix; // an index takes upserts from several threads: batches of 1,000, the graph built on every core
			IntStream.range(0, (items.size() + 999) / 1000).parallel().forEach(b -> target.upsert(items.subList(b * 1000, Math.min(items.size(), b * 1000 + 1000))));
			ix.commit();
			writeMark(m, mark);
			synchronized (this) {
				checkOpen();
				open.put(m.name(), ix);
				kept = true;
			}
			return ix;
		} finally {
			if (!kept && ix != null) ix.close();
			synchronized (this) {
				building.remove(m.name());
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
			if (now.isEmpty()) continue; // not embedded in this version
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

	private static void deleteTree(Path folder) throws IOException {
		if (!Files.exists(folder)) return;
		try (Stream<Path> walk = Files.walk(folder)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
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
			deleteTree(root); // this engine's own copy; the next one builds its own from the store
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
