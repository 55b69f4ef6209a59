package org.labelloop.core.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.labelloop.core.model.LabelLoopException;

/**
 * The embedded vector index: a Lucene index (HNSW graph + flat vectors + payload terms) in a folder of the project,
 * by convention {@code <project>/index/<model-version>/} (the backend chooses the folder).
 * <p>
 * <b>Search.</b> Vectors are stored at unit length and compared by dot product, i.e. cosine similarity. A query
 * whose filter matches at most {@link Options#exactThreshold} items (10,000 by default), or at most a quarter of the
 * index ({@link Options#exactFraction}), is answered by <em>exact</em> brute force over the stored vectors of just
 * those items: Lucene 9.12's filtered graph search was slower and less accurate than that whenever the filter
 * follows the vectors (a class filter: recall@10 0.72 at a million items), and at best 1.6× faster for a filter on
 * an unrelated field (docs/benchmarks.md). Beyond that the HNSW graph
 * is searched <em>approximately</em>, asking it for {@code k' = max(100, 10·k)} candidates, which are then ranked by
 * their exact score and cut to {@code k}: asking for only {@code k} loses recall (§7 of the architecture guide: 0.54
 * vs 0.96 at 100k). Above 250,000 items the default grows with {@code (n / 250,000)^0.8} (k' = max(300, 30·k) at a
 * million): on clustered data recall@10 at a million was 0.929 with k' = 100, 0.946–0.954 with 200 and 0.974 with
 * 300, while 100 gave 0.986 at 300,000 items (docs/benchmarks.md). {@link Options#candidates} or {@link #setCandidates} fix k' instead. The vectors are kept
 * unquantized, so candidate scores are exact. Approximate recommend queries search the graph once per positive
 * example (and once from the average vector for {@link RecommendStrategy#AVERAGE_VECTOR}, whose query often points
 * between clusters) and rank the union of candidates by the exact score of the strategy. {@code best_score} with
 * negatives only is always exact: the items least like the negatives are not near anything a graph search can
 * start from.
 * <p>
 * <b>Exact search</b> scores a heap copy of each segment's vectors ({@link ExactScan}: blocks of 2,048 vectors stored
 * transposed, scored by loops the JIT vectorises, split over the cores from 50,000 vectors, a primitive top-k heap),
 * made on a segment's first exact query and dropped with the segment; 4–5× faster than reading Lucene's stored
 * vectors one by one (Lucene 9.12 vectorises its own distances only on Java 20+). The copies take the vectors' size
 * (512 MB for a million 128-d vectors) up to {@link Options#exactCacheMB} (a quarter of the heap by default); beyond
 * that, and for filters keeping under a sixteenth of the items, the stored vectors are read one by one as before.
 * <p>
 * <b>Durability and visibility.</b> With {@link Options#autoCommit} (the default) every {@link #upsert} and
 * {@link #delete} is committed (fsync'd) and visible to queries when it returns. Bulk loaders turn it off, write
 * in batches and call {@link #commit()} once: that avoids a small segment (and an HNSW merge) per batch. Without a
 * commit, a crash loses the uncommitted writes and nothing else; the index is derived data and can be rebuilt from
 * the project's embeddings (delete the folder).
 * <p>
 * <b>Threads.</b> All methods may be called from several threads; queries use a refreshed point-in-time view and
 * never block writers. One process at a time may open a folder (Lucene's write lock); a second one gets a clear
 * error.
 */
public final class LuceneVectorIndex implements VectorIndex {

	/** How a query is answered. */
	public enum Mode {
		/** Exact for small matching sets, approximate beyond {@link Options#exactThreshold}. */
		AUTO,
		/** Brute force over every matching item. */
		EXACT,
		/** Always through the HNSW graph (with more candidates than shown). */
		APPROXIMATE
	}

	/** Settings; the defaults suit a project on a laptop. */
	public static final class Options {
		int exactThreshold = 10_000;
		double exactFraction = 0.25;
		int minCandidates = 100;
		int candidateFactor = 10;
		boolean scaleCandidates = true;
		int maxConn = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;
		int beamWidth = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;
		double ramBufferMB = 64;
		int mergeThreads = 1;
		boolean autoCommit = true;
		long exactCacheBytes = Runtime.getRuntime().maxMemory() / 4;
		/** Vectors from which an exact scan is split over the cores (package-private: tests lower it). */
		int parallelScanFrom = 50_000;
		/** Whether segments are merged (package-private: a test that needs several segments turns it off). */
		boolean merges = true;

		/** Largest number of matching items searched by brute force in {@link Mode#AUTO} (default 10,000). */
		public Options exactThreshold(int n) { exactThreshold = n; return this; }
		/** A filter keeping at most this fraction of the items is answered exactly in {@link Mode#AUTO} (default 0.25). */
		public Options exactFraction(double f) { exactFraction = f; return this; }
		/** Candidates asked from the graph: {@code max(min, factor·k)} (default 100 and 10). */
		/** Candidates asked from the graph: exactly {@code max(min, factor·k)}, whatever the index size. */
		public Options candidates(int min, int factor) { minCandidates = Math.max(1, min); candidateFactor = Math.max(1, factor); scaleCandidates = false; return this; }
		/** HNSW graph degree and construction beam (Lucene's defaults 16 and 100). */
		public Options hnsw(int maxConn, int beamWidth) { this.maxConn = maxConn; this.beamWidth = beamWidth; return this; }
		/** Indexing buffer: larger gives fewer segments (fewer graphs to search and merge). Default 64 MB. */
		public Options ramBufferMB(double mb) { ramBufferMB = mb; return this; }
		/** Threads that merge HNSW graphs (default 1). */
		public Options mergeThreads(int n) { mergeThreads = Math.max(1, n); return this; }
		/** Commit and refresh after each write (default true); see the class comment. */
		public Options autoCommit(boolean b) { autoCommit = b; return this; }
		/**
		 * Heap that exact search may use for its copy of the vectors (see the class comment); default a quarter of the
		 * maximum heap; 0 keeps no copy (exact search then reads Lucene's stored vectors one at a time, 4–5× slower).
		 */
		public Options exactCacheMB(double mb) { exactCacheBytes = (long) (Math.max(0, mb) * 1024 * 1024); return this; }
	}

	static final String ID = "id", VECTOR = "vector", PAYLOAD_PREFIX = "p.", NUMBER_PREFIX = "n.";
	private static final String DIMENSION_KEY = "labelloop.dimension", FORMAT_KEY = "labelloop.format";

	private final Path folder;
	private final Options options;
	private volatile int minCandidates, candidateFactor;
	private volatile boolean scaleCandidates;
	private final FSDirectory directory;
	private final IndexWriter writer;
	private final SearcherManager searchers;
	private final ExecutorService mergeExecutor;
	private final Object writeLock = new Object();
	private volatile int dimension;
	private volatile boolean closed;
	/** Exact search's copies of segments' vectors, by segment core; removed when the segment closes. */
	private final Map<Object, ExactScan> scans = new ConcurrentHashMap<>();
	private final AtomicLong scanBytes = new AtomicLong();

	private LuceneVectorIndex(Path folder, Options options) throws IOException {
		this.folder = folder;
		this.options = options;
		this.minCandidates = options.minCandidates;
		this.candidateFactor = options.candidateFactor;
		this.scaleCandidates = options.scaleCandidates;
		Files.createDirectories(folder);
		directory = FSDirectory.open(folder);
		mergeExecutor = options.mergeThreads > 1 ? Executors.newFixedThreadPool(options.mergeThreads, r -> {
			Thread t = new Thread(r, "labelloop-hnsw-merge");
			t.setDaemon(true);
			return t;
		}) : null;
		KnnVectorsFormat format = mergeExecutor == null ? new Lucene99HnswVectorsFormat(options.maxConn, options.beamWidth)
				: new Lucene99HnswVectorsFormat(options.maxConn, options.beamWidth, options.mergeThreads, mergeExecutor);
		IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
				.setRAMBufferSizeMB(options.ramBufferMB).setCodec(new Lucene912Codec() {
					@Override
					public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
						return format;
					}
				});
		if (!options.merges) config.setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE);
		IndexWriter w;
		try {
			w = new IndexWriter(directory, config);
		} catch (IOException | RuntimeException e) {
			directory.close();
			if (mergeExecutor != null) mergeExecutor.shutdown();
			throw e;
		}
		writer = w;
		if (DirectoryReader.indexExists(directory)) {
			String d = SegmentInfos.readLatestCommit(directory).getUserData().get(DIMENSION_KEY);
			dimension = d == null ? 0 : Integer.parseInt(d);
		}
		searchers = new SearcherManager(writer, null);
	}

	/** Opens (or creates) the index in a folder with default options. */
	public static LuceneVectorIndex open(Path folder) {
		return open(folder, new Options());
	}

	/** Opens (or creates) the index in a folder. */
	public static LuceneVectorIndex open(Path folder, Options options) {
		try {
			return new LuceneVectorIndex(folder, options);
		} catch (LockObtainFailedException e) {
			throw new LabelLoopException("The vector index in " + folder + " is already open in another LabelLoop or ImageJ; close that one first.", e);
		} catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
			throw new LabelLoopException("The vector index in " + folder + " cannot be read (" + e.getMessage()
					+ "). It holds only derived data: delete that folder and LabelLoop rebuilds it from the embeddings.", e);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot open the vector index in " + folder + ": " + e, e);
		}
	}

	/** A model version as a file name: letters, digits, {@code . _ -} kept, anything else as {@code _}. */
	public static String safeName(String modelVersion) {
		if (modelVersion == null || modelVersion.isBlank()) throw new IllegalArgumentException("A model version is needed");
		String s = modelVersion.replaceAll("[^A-Za-z0-9._-]", "_");
		return s.startsWith(".") ? "_" + s : s;
	}

	public Path folder() {
		return folder;
	}

	@Override
	public int dimension() {
		return dimension;
	}

	// ---------------------------------------------------------------------------------------------- writing

	/**
	 * {@inheritDoc} Several threads may upsert at once (bulk loading uses all cores); the vector length is fixed by
	 * the first item ever written.
	 */
	@Override
	public void upsert(List<VectorItem> items) {
		if (items.isEmpty()) return;
		checkOpen();
		synchronized (writeLock) {
			int d = dimension == 0 ? items.get(0).dimension() : dimension;
			for (VectorItem it : items)
				if (it.dimension() != d)
					throw new LabelLoopException("Item '" + it.id() + "' has a " + it.dimension() + "-dimension vector, but this index holds "
							+ d + "-dimension vectors. One index holds one model version; nothing was written.");
			if (dimension == 0) {
				dimension = d;
				writer.setLiveCommitData(Map.of(DIMENSION_KEY, Integer.toString(d), FORMAT_KEY, "1").entrySet());
			}
		}
		try {
			for (VectorItem it : items) writer.updateDocument(new Term(ID, it.id()), document(it));
			if (options.autoCommit)
				synchronized (writeLock) {
					commitAndRefresh();
				}
		} catch (IOException e) {
			throw new LabelLoopException("Could not write to the vector index in " + folder + ": " + e, e);
		}
	}

	private static Document document(VectorItem it) {
		Document doc = new Document();
		doc.add(new StringField(ID, it.id(), Field.Store.YES));
		for (Map.Entry<String, String> e : it.payload().entrySet()) {
			doc.add(new StringField(PAYLOAD_PREFIX + e.getKey(), e.getValue(), Field.Store.YES));
			// numbers (checked by VectorItem) are also points, for ranges
			if (VectorItem.NUMERIC.contains(e.getKey())) doc.add(new DoublePoint(NUMBER_PREFIX + e.getKey(), Double.parseDouble(e.getValue())));
		}
		doc.add(new KnnFloatVectorField(VECTOR, Vectors.normalized(it.vectorUnsafe()), VectorSimilarityFunction.DOT_PRODUCT));
		return doc;
	}

	@Override
	public void delete(Collection<String> ids) {
		if (ids.isEmpty()) return;
		checkOpen();
		synchronized (writeLock) {
			try {
				writer.deleteDocuments(ids.stream().map(i -> new Term(ID, i)).toArray(Term[]::new));
				if (options.autoCommit) commitAndRefresh();
			} catch (IOException e) {
				throw new LabelLoopException("Could not delete from the vector index in " + folder + ": " + e, e);
			}
		}
	}

	/** Makes every write so far durable and visible (needed only without {@link Options#autoCommit}). */
	@Override
	public void commit() {
		checkOpen();
		synchronized (writeLock) {
			try {
				commitAndRefresh();
			} catch (IOException e) {
				throw new LabelLoopException("Could not commit the vector index in " + folder + ": " + e, e);
			}
		}
	}

	private void commitAndRefresh() throws IOException {
		writer.commit();
		searchers.maybeRefreshBlocking();
	}

	/**
	 * Merges the index down to at most {@code maxSegments} segments (one HNSW graph each), then commits. Queries are
	 * fastest on one segment; merging 1M vectors rebuilds a large part of the graph and takes minutes.
	 */
	public void forceMerge(int maxSegments) {
		checkOpen();
		synchronized (writeLock) {
			try {
				writer.forceMerge(maxSegments);
				commitAndRefresh();
			} catch (IOException e) {
				throw new LabelLoopException("Could not merge the vector index in " + folder + ": " + e, e);
			}
		}
	}

	/** Number of segments (HNSW graphs) a query searches. */
	public int segments() {
		return withSearcher(s -> s.getIndexReader().leaves().size());
	}

	// ---------------------------------------------------------------------------------------------- reading

	@Override
	public List<Hit> knn(float[] query, int k, Filter filter) {
		return knn(query, k, filter, Mode.AUTO);
	}

	/** {@link #knn(float[], int, Filter)}, choosing exact or approximate search. */
	public List<Hit> knn(float[] query, int k, Filter filter, Mode mode) {
		checkK(k);
		int d = dimension;
		if (d == 0) return List.of();
		if (query.length != d)
			throw new LabelLoopException("The query vector has " + query.length + " dimensions, but this index holds " + d + "-dimension vectors.");
		float[] q = Vectors.normalized(query);
		return withSearcher(s -> {
			Query f = luceneFilter(filter, s.getIndexReader());
			List<Scored> top;
			if (useExact(s, f, mode)) {
				top = scan(s, f, k, BlockScore.dot(q), Set.of());
				if (top == null) top = exact(s, f, k, v -> Vectors.dot(q, v), Set.of());
			} else {
				top = approximate(s, q, f, k);
			}
			return hits(s, top);
		});
	}

	@Override
	public List<Hit> recommend(List<String> positiveIds, List<String> negativeIds, int k, Filter filter, RecommendStrategy strategy) {
		return recommend(positiveIds, negativeIds, k, filter, strategy, Mode.AUTO);
	}

	/** {@link #recommend(List, List, int, Filter, RecommendStrategy)}, choosing exact or approximate search. */
	public List<Hit> recommend(List<String> positiveIds, List<String> negativeIds, int k, Filter filter, RecommendStrategy strategy,
			Mode mode) {
		checkK(k);
		if (positiveIds.isEmpty() && negativeIds.isEmpty())
			throw new IllegalArgumentException("A recommend query needs at least one example");
		if (strategy == RecommendStrategy.AVERAGE_VECTOR && positiveIds.isEmpty())
			throw new IllegalArgumentException("The average_vector strategy needs at least one positive example; use best_score with negatives only");
		return withSearcher(s -> {
			List<String> all = union(positiveIds, negativeIds);
			Map<String, Integer> docs = docIds(s, all);
			List<String> missing = all.stream().filter(id -> !docs.containsKey(id)).toList();
			if (!missing.isEmpty()) throw noEmbedding(missing);
			Map<Integer, float[]> vecs = vectorsOf(s, docs.values());
			List<float[]> pos = positiveIds.stream().map(id -> vecs.get(docs.get(id))).toList();
			List<float[]> neg = negativeIds.stream().map(id -> vecs.get(docs.get(id))).toList();
			// The examples are dropped from the answers rather than excluded by the Lucene filter: a filter of
			// "everything but these" would make every graph search build a bit set over the whole index.
			Set<Integer> examples = new HashSet<>(docs.values());
			Query f = luceneFilter(filter, s.getIndexReader());
			VectorScore score;
			BlockScore blockScore;
			List<float[]> starts = new ArrayList<>(pos);
			if (strategy == RecommendStrategy.AVERAGE_VECTOR) {
				float[] q = Vectors.normalized(Vectors.averageVectorQuery(pos, neg));
				score = v -> Vectors.dot(q, v);
				blockScore = BlockScore.dot(q);
				starts.add(0, q);
				// one positive and no negative: the average is that positive, and one graph search from it is enough
				if (pos.size() == 1 && neg.isEmpty()) starts.remove(1);
			} else {
				score = v -> Vectors.bestScore(v, pos, neg);
				blockScore = BlockScore.bestScore(pos, neg);
			}
			if (pos.isEmpty() || useExact(s, f, mode)) {
				List<Scored> top = scan(s, f, k, blockScore, examples);
				return hits(s, top != null ? top : exact(s, f, k, score, examples));
			}
			// The average vector often points between clusters, where one graph search can stay in one of them:
			// candidates also come from around each positive, and all are ranked by their exact score.
			int kk = candidates(s, k) + examples.size();
			Set<Integer> candidates = new HashSet<>();
			for (float[] p : starts)
				for (ScoreDoc sd : s.search(new KnnFloatVectorQuery(VECTOR, p, kk, f), kk).scoreDocs)
					if (!examples.contains(sd.doc)) candidates.add(sd.doc);
			List<Scored> scored = new ArrayList<>();
			for (Map.Entry<Integer, float[]> e : vectorsOf(s, candidates).entrySet())
				scored.add(new Scored(e.getKey(), score.score(e.getValue())));
			scored.sort(Scored.BEST_FIRST);
			return hits(s, scored.subList(0, Math.min(k, scored.size())));
		});
	}

	static LabelLoopException noEmbedding(List<String> missing) {
		return new LabelLoopException((missing.size() == 1 ? "Item '" + missing.get(0) + "' has" : "Items " + missing + " have")
				+ " no embedding yet in this model version's index; compute embeddings (Retrain) and try again.");
	}

	@Override
	public Optional<VectorItem> get(String id) {
		return withSearcher(s -> {
			TopDocs td = s.search(new TermQuery(new Term(ID, id)), 1);
			if (td.scoreDocs.length == 0) return Optional.empty();
			int doc = td.scoreDocs[0].doc;
			float[] v = vectorsOf(s, List.of(doc)).get(doc);
			return Optional.of(new VectorItem(id, v, payload(s.storedFields().document(doc))));
		});
	}

	/**
	 * Every item with its vector (as stored, unit length) and payload, in index order: what the 2D map lays out.
	 * Reads the whole index; about a second per 100,000 items of 128 dimensions.
	 */
	/** The stored items among {@code ids}, read in one pass over the index. */
	@Override
	public List<VectorItem> items(Collection<String> ids) {
		java.util.Set<String> wanted = ids instanceof java.util.Set<String> set ? set : new java.util.HashSet<>(ids);
		return items().stream().filter(it -> wanted.contains(it.id())).toList();
	}

	public List<VectorItem> items() {
		return withSearcher(s -> {
			List<Integer> docs = new ArrayList<>();
			for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
				org.apache.lucene.util.Bits live = ctx.reader().getLiveDocs();
				for (int d = 0; d < ctx.reader().maxDoc(); d++)
					if (live == null || live.get(d)) docs.add(ctx.docBase + d);
			}
			Map<Integer, float[]> vecs = vectorsOf(s, docs);
			StoredFields sf = s.storedFields();
			List<VectorItem> out = new ArrayList<>(docs.size());
			for (int d : docs) {
				float[] v = vecs.get(d);
				if (v == null) continue;
				Document doc = sf.document(d);
				out.add(new VectorItem(doc.get(ID), v, payload(doc)));
			}
			return out;
		});
	}

	@Override
	public long count(Filter filter) {
		return withSearcher(s -> {
			Query f = luceneFilter(filter, s.getIndexReader());
			return (long) (f == null ? s.getIndexReader().numDocs() : s.count(f));
		});
	}

	@Override
	public void close() {
		if (closed) return;
		closed = true;
		try {
			searchers.close();
			writer.close();
			directory.close();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} finally {
			if (mergeExecutor != null) mergeExecutor.shutdown();
			scans.clear();
			scanBytes.set(0);
		}
	}

	// ---------------------------------------------------------------------------------------------- internals

	private interface SearcherWork<T> {
		T run(IndexSearcher s) throws IOException;
	}

	private interface VectorScore {
		float score(float[] unitVector);
	}

	private record Scored(int doc, float score) {
		static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble((Scored x) -> -x.score).thenComparingInt(Scored::doc);
	}

	private <T> T withSearcher(SearcherWork<T> work) {
		checkOpen();
		IndexSearcher s;
		try {
			s = searchers.acquire();
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read the vector index in " + folder + ": " + e, e);
		}
		try {
			return work.run(s);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read the vector index in " + folder + ": " + e, e);
		} finally {
			try {
				searchers.release(s);
			} catch (IOException e) {
				// a reader that fails to close is not the query's problem
			}
		}
	}

	private void checkOpen() {
		if (closed) throw new IllegalStateException("The vector index in " + folder + " is closed");
	}

	private static void checkK(int k) {
		if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
	}

	/** Items above which the default candidate count grows (see the class comment). */
	static final int SCALE_FROM = 250_000;

	private int candidates(IndexSearcher s, int k) {
		double scale = 1;
		int n = s.getIndexReader().numDocs();
		if (scaleCandidates && n > SCALE_FROM) scale = Math.pow(n / (double) SCALE_FROM, 0.8);
		long c = Math.max((long) Math.ceil(minCandidates * scale), (long) Math.ceil(candidateFactor * scale * k));
		return (int) Math.min(Integer.MAX_VALUE / 2, c);
	}

	/** From now on approximate queries ask the graph for exactly {@code max(min, factor·k)} candidates. */
	public void setCandidates(int min, int factor) {
		minCandidates = Math.max(1, min);
		candidateFactor = Math.max(1, factor);
		scaleCandidates = false;
	}

	private boolean useExact(IndexSearcher s, Query filter, Mode mode) throws IOException {
		return switch (mode) {
			case EXACT -> true;
			case APPROXIMATE -> false;
			case AUTO -> {
				int all = s.getIndexReader().numDocs();
				if (filter == null) yield all <= options.exactThreshold;
				int matching = s.count(filter);
				yield matching <= options.exactThreshold || matching <= options.exactFraction * all;
			}
		};
	}

	/** Whether {@link Mode#AUTO} answers a query with this filter exactly (for a window's "exact" badge, and the benchmark). */
	@Override
	public boolean searchesExactly(Filter filter) {
		return withSearcher(s -> useExact(s, luceneFilter(filter, s.getIndexReader()), Mode.AUTO));
	}

	/**
	 * The Lucene query of a filter for this reader; {@code null} for "everything". A "must not" condition that no
	 * document of the reader has is left out (LabelLoop's "not deleted" when nothing is): a filtered graph search builds a
	 * bit set of every matching document per segment, and the exact-or-graph choice counts them, for nothing.
	 */
	static Query luceneFilter(Filter filter, IndexReader reader) throws IOException {
		List<Filter.Condition> mustNot = new ArrayList<>();
		for (Filter.Condition c : filter.mustNot()) {
			long n = 0;
			for (String v : c.values()) n += reader.docFreq(new Term(PAYLOAD_PREFIX + c.key(), v));
			if (n > 0) mustNot.add(c);
		}
		return luceneFilter(filter.must(), mustNot, filter.ranges());
	}

	private static Query luceneFilter(Collection<Filter.Condition> must, Collection<Filter.Condition> mustNot, Collection<Filter.Range> ranges) {
		if (must.isEmpty() && mustNot.isEmpty() && ranges.isEmpty()) return null;
		BooleanQuery.Builder b = new BooleanQuery.Builder();
		boolean positive = false;
		for (Filter.Condition c : must) {
			b.add(condition(c), Occur.FILTER);
			positive = true;
		}
		for (Filter.Condition c : mustNot) b.add(condition(c), Occur.MUST_NOT);
		for (Filter.Range r : ranges) {
			b.add(range(r), Occur.FILTER);
			positive = true;
		}
		if (!positive) b.add(new MatchAllDocsQuery(), Occur.FILTER);
		return b.build();
	}

	private static Query condition(Filter.Condition c) {
		String field = PAYLOAD_PREFIX + c.key();
		if (c.values().size() == 1) return new TermQuery(new Term(field, c.values().iterator().next()));
		return new TermInSetQuery(field, c.values().stream().map(BytesRef::new).toList());
	}

	private static Query range(Filter.Range r) {
		double lo = r.min() == null ? Double.NEGATIVE_INFINITY : r.minInclusive() ? r.min() : Math.nextUp(r.min());
		double hi = r.max() == null ? Double.POSITIVE_INFINITY : r.maxInclusive() ? r.max() : Math.nextDown(r.max());
		return DoublePoint.newRangeQuery(NUMBER_PREFIX + r.key(), lo, hi);
	}

	/** Scores of a block's vectors, for {@link #scan}. */
	private interface BlockScore {
		/** {@code out[i]}: the score of vector i of block b; {@code scratch} has out's length. */
		void score(ExactScan scan, int b, float[] out, float[] scratch);

		static BlockScore dot(float[] unitQuery) {
			return (scan, b, out, scratch) -> scan.dots(b, unitQuery, out);
		}

		/** {@link Vectors#bestScore}: the best positive's similarity against the best negative's. */
		static BlockScore bestScore(List<float[]> unitPositives, List<float[]> unitNegatives) {
			return (scan, b, out, scratch) -> {
				float[] pos = new float[out.length];
				best(scan, b, unitPositives, pos, scratch);
				best(scan, b, unitNegatives, out, scratch);
				for (int i = 0; i < out.length; i++)
					out[i] = pos[i] > out[i] ? Vectors.scaledSigmoid(pos[i]) : -Vectors.scaledSigmoid(out[i]);
			};
		}

		private static void best(ExactScan scan, int b, List<float[]> examples, float[] max, float[] scratch) {
			java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
			for (float[] e : examples) {
				scan.dots(b, e, scratch);
				for (int i = 0; i < max.length; i++) max[i] = Math.max(max[i], scratch[i]);
			}
		}
	}


	/** Blocks of {@link ExactScan} per task of a parallel scan. */
	static final int SCAN_PART_BLOCKS = 16;

	/**
	 * Brute force over the heap copy of each segment's vectors ({@link ExactScan}): the same answer as
	 * {@link #exact}, 4–5× faster. {@code null} where a segment's copy would not fit in
	 * {@link Options#exactCacheMB}, or where the filter keeps so few items that scoring them one by one is faster.
	 */
	private List<Scored> scan(IndexSearcher s, Query filter, int k, BlockScore score, Set<Integer> excluded) throws IOException {
		List<LeafReaderContext> leaves = s.getIndexReader().leaves();
		List<ExactScan> segmentScans = new ArrayList<>(leaves.size());
		List<Bits> accept = new ArrayList<>(leaves.size());
		Weight weight = filter == null ? null : s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1);
		long vectors = 0, matching = 0;
		for (LeafReaderContext ctx : leaves) {
			FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
			int size = values == null ? 0 : values.size();
			Bits live = ctx.reader().getLiveDocs();
			vectors += size;
			if (weight == null || size == 0) {
				accept.add(live);
				matching += size;
				continue;
			}
			FixedBitSet bits = new FixedBitSet(ctx.reader().maxDoc());
			Scorer scorer = weight.scorer(ctx);
			if (scorer != null) {
				DocIdSetIterator it = scorer.iterator();
				for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc())
					if (live == null || live.get(doc)) bits.set(doc);
			}
			matching += bits.cardinality();
			accept.add(bits);
		}
		// A scan scores every vector, the stored-vector path only the matching ones, at ~20x the cost each (1M x 128:
		// a scan ~13 ms, 100,000 stored vectors ~29 ms)
		if (weight != null && matching * 16 < vectors) return null;
		for (LeafReaderContext ctx : leaves) {
			ExactScan scan = scanOf(ctx);
			if (scan == null) return null; // over the budget
			segmentScans.add(scan);
		}

		List<int[]> parts = new ArrayList<>(); // {leaf, first block, end block}
		// Parts of at most 16 blocks (32,768 vectors) from Options.parallelScanFrom on, so that on a busy machine the
		// core that gets the CPU takes over the other's parts instead of waiting for it; one part below.
		boolean parallel = vectors >= options.parallelScanFrom;
		for (int l = 0; l < leaves.size(); l++) {
			ExactScan scan = segmentScans.get(l);
			int n = scan.blocks();
			if (n == 0) continue;
			int per = parallel ? SCAN_PART_BLOCKS : n;
			for (int from = 0; from < n; from += per) parts.add(new int[] { l, from, Math.min(n, from + per) });
		}
		int keep = (int) Math.min(k, Math.max(1, vectors)); // k may be far above the items: size the heaps by both
		ExactScan.TopK[] tops = new ExactScan.TopK[parts.size()];
		IntStream range = IntStream.range(0, parts.size());
		(parallel && parts.size() > 1 ? range.parallel() : range).forEach(p -> {
			int[] part = parts.get(p);
			ExactScan scan = segmentScans.get(part[0]);
			Bits ok = accept.get(part[0]);
			int base = leaves.get(part[0]).docBase;
			ExactScan.TopK top = tops[p] = new ExactScan.TopK(keep);
			float[] out = new float[ExactScan.BLOCK], scratch = new float[ExactScan.BLOCK];
			for (int b = part[1]; b < part[2]; b++) {
				int len = scan.length(b);
				float[] o = len == out.length ? out : new float[len], sc = len == out.length ? scratch : new float[len];
				score.score(scan, b, o, sc);
				float threshold = top.threshold();
				for (int i = 0; i < len; i++) {
					if (o[i] < threshold) continue;
					int doc = scan.doc(b, i);
					if (ok != null && !ok.get(doc)) continue;
					if (!excluded.isEmpty() && excluded.contains(base + doc)) continue;
					top.offer(o[i], base + doc);
					threshold = top.threshold();
				}
			}
		});
		ExactScan.TopK all = new ExactScan.TopK(keep);
		for (ExactScan.TopK t : tops) all.addAll(t);
		List<Scored> out = new ArrayList<>(all.size);
		for (int i = 0; i < all.size; i++) out.add(new Scored(all.doc[i], all.score[i]));
		out.sort(Scored.BEST_FIRST);
		return out;
	}

	/** Heap bytes held now by exact search's copies of the segments' vectors. */
	long exactCacheBytes() {
		return scanBytes.get();
	}

	/**
	 * The heap copy of a segment's vectors, made on first use and dropped when the segment closes (merged away, or
	 * the index closed); {@code null} if it would take the total over {@link Options#exactCacheMB}.
	 */
	private ExactScan scanOf(LeafReaderContext ctx) throws IOException {
		FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
		if (values == null) return ExactScan.EMPTY;
		var helper = ctx.reader().getCoreCacheHelper();
		if (helper == null) return null;
		Object key = helper.getKey();
		ExactScan scan = scans.get(key);
		if (scan != null) return scan;
		synchronized (scans) { // one copy at a time; queries of other segments' copies go on
			scan = scans.get(key);
			if (scan != null) return scan;
			long bytes = ExactScan.bytes(values.size(), values.dimension());
			if (scanBytes.get() + bytes > options.exactCacheBytes) return null;
			scan = ExactScan.read(values);
			scanBytes.addAndGet(bytes);
			scans.put(key, scan);
			helper.addClosedListener(closed -> {
				ExactScan gone = scans.remove(closed);
				if (gone != null) scanBytes.addAndGet(-gone.bytes());
			});
			return scan;
		}
	}

	/** Brute force: scores every matching live document by its stored vector, keeps the best {@code k}. */
	private static List<Scored> exact(IndexSearcher s, Query filter, int k, VectorScore score, Set<Integer> excluded) throws IOException {
		Query q = filter == null ? new MatchAllDocsQuery() : filter;
		PriorityQueue<Scored> heap = s.search(q, new CollectorManager<Collector, PriorityQueue<Scored>>() {
			@Override
			public Collector newCollector() {
				return new TopKCollector(k, score, excluded);
			}

			@Override
			public PriorityQueue<Scored> reduce(Collection<Collector> collectors) {
				PriorityQueue<Scored> all = new PriorityQueue<>(WORST_FIRST);
				for (Collector c : collectors)
					for (Scored x : ((TopKCollector) c).heap) offer(all, x, k);
				return all;
			}
		});
		List<Scored> out = new ArrayList<>(heap);
		out.sort(Scored.BEST_FIRST);
		return out;
	}

	private static final Comparator<Scored> WORST_FIRST = Scored.BEST_FIRST.reversed();

	private static void offer(PriorityQueue<Scored> heap, Scored x, int k) {
		if (heap.size() < k) heap.add(x);
		else if (WORST_FIRST.compare(x, heap.peek()) > 0) {
			heap.poll();
			heap.add(x);
		}
	}

	private static final class TopKCollector implements Collector {
		final PriorityQueue<Scored> heap = new PriorityQueue<>(WORST_FIRST);
		final int k;
		final VectorScore score;
		final Set<Integer> excluded;

		TopKCollector(int k, VectorScore score, Set<Integer> excluded) {
			this.k = k;
			this.score = score;
			this.excluded = excluded;
		}

		@Override
		public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
			FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
			int base = ctx.docBase;
			return new LeafCollector() {
				@Override
				public void setScorer(Scorable scorer) {
				}

				@Override
				public void collect(int doc) throws IOException {
					if (values == null || (!excluded.isEmpty() && excluded.contains(base + doc))) return;
					int at = values.docID();
					if (at < doc) at = values.advance(doc);
					if (at != doc) return;
					offer(heap, new Scored(base + doc, score.score(values.vectorValue())), k);
				}
			};
		}

		@Override
		public ScoreMode scoreMode() {
			return ScoreMode.COMPLETE_NO_SCORES;
		}
	}

	/** HNSW search for {@code k'} candidates; their scores are exact (unquantized vectors), so the best k are exact-ranked. */
	private List<Scored> approximate(IndexSearcher s, float[] unitQuery, Query filter, int k) throws IOException {
		int kk = candidates(s, k);
		TopDocs td = s.search(new KnnFloatVectorQuery(VECTOR, unitQuery, kk, filter), kk);
		List<Scored> all = new ArrayList<>(td.scoreDocs.length);
		// Lucene's DOT_PRODUCT score is (1 + cos) / 2.
		for (ScoreDoc sd : td.scoreDocs) all.add(new Scored(sd.doc, 2 * sd.score - 1));
		all.sort(Scored.BEST_FIRST);
		return all.subList(0, Math.min(k, all.size()));
	}

	private List<Hit> hits(IndexSearcher s, List<Scored> top) throws IOException {
		StoredFields sf = s.storedFields();
		List<Hit> out = new ArrayList<>(top.size());
		for (Scored x : top) {
			Document doc = sf.document(x.doc);
			out.add(new Hit(doc.get(ID), x.score, payload(doc)));
		}
		return out;
	}

	private static Map<String, String> payload(Document doc) {
		Map<String, String> p = new LinkedHashMap<>();
		for (IndexableField f : doc.getFields())
			if (f.name().startsWith(PAYLOAD_PREFIX)) p.put(f.name().substring(PAYLOAD_PREFIX.length()), f.stringValue());
		return p;
	}

	/** Document numbers of the given ids that are in the index. */
	private static Map<String, Integer> docIds(IndexSearcher s, Collection<String> ids) throws IOException {
		Map<String, Integer> out = new HashMap<>();
		for (String id : ids) {
			TopDocs td = s.search(new TermQuery(new Term(ID, id)), 1);
			if (td.scoreDocs.length > 0) out.put(id, td.scoreDocs[0].doc);
		}
		return out;
	}

	/** Stored vectors of documents (global doc ids). */
	private static Map<Integer, float[]> vectorsOf(IndexSearcher s, Collection<Integer> docs) throws IOException {
		List<Integer> sorted = new ArrayList<>(docs);
		sorted.sort(null);
		List<LeafReaderContext> leaves = s.getIndexReader().leaves();
		Map<Integer, float[]> out = new HashMap<>();
		int currentLeaf = -1;
		FloatVectorValues values = null;
		for (int doc : sorted) {
			int li = ReaderUtil.subIndex(doc, leaves);
			LeafReaderContext ctx = leaves.get(li);
			if (li != currentLeaf) {
				values = ctx.reader().getFloatVectorValues(VECTOR);
				currentLeaf = li;
			}
			if (values == null) continue;
			int local = doc - ctx.docBase;
			int at = values.docID() < local ? values.advance(local) : values.docID();
			if (at == local) out.put(doc, values.vectorValue().clone());
		}
		return out;
	}

	private static List<String> union(List<String> a, List<String> b) {
		Set<String> s = new LinkedHashSet<>(a);
		s.addAll(b);
		return new ArrayList<>(s);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "LuceneVectorIndex[%s, %d-d]", folder, dimension);
	}
}
