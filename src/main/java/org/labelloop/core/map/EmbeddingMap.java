package org.labelloop.core.map;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

import tagbio.umap.ProgressListener;
import tagbio.umap.ProgressState;
import tagbio.umap.Umap;
import tagbio.umap.UmapProgress;

/**
 * The 2D map of a project's embeddings: every item placed, cached per model version.
 * <p>
 * <b>Layout.</b> Vectors are scaled to unit length (the index compares them by cosine), reduced to
 * {@link Options#pcaDimensions} (50) principal components when longer, then laid out by UMAP
 * (external-umap-java, pure Java, MIT), which places every point (Smile's UMAP drops points outside the largest
 * connected part of the neighbour graph). UMAP runs with one thread and a fixed seed, so the same items give the
 * same map. Small sets get a clear answer instead of a UMAP that cannot find its neighbours:
 * <ul>
 * <li>no item: an empty layout;</li>
 * <li>1 item: that item at the origin ({@link Method#SINGLE}): there is nothing to lay out, and a map of one point
 * is still a map the user can click;</li>
 * <li>2 to 14 items: their first two principal component scores ({@link Method#PCA});</li>
 * <li>15 or more: UMAP with {@code min(15, n − 1)} neighbours ({@link Method#UMAP}); should UMAP fail or give a
 * non-finite coordinate (e.g. every vector identical), PCA instead, and {@link Layout#note} says so.</li>
 * </ul>
 * <b>Cache.</b> {@link #layout} keeps the last layout of each model version in
 * {@code <project>/map/<model-version>.bin}, with a SHA-256 of the options and the item ids with their vectors' hashes, the
 * options, and a 64-bit hash of each item's vector; the same inputs read the file back instead of recomputing (70,000
 * items: a fraction of a second instead of a minute). A version whose inputs equal an earlier version's takes that
 * layout over. New or changed items are <em>placed</em> into an earlier layout among their nearest neighbours, the
 * other points staying where they were, while at most {@link #PLACE_AT_MOST} of the points are placed rather than laid
 * out (and the placement is cheaper than UMAP, {@link #PLACE_WORK}); beyond that UMAP lays out every point again.
 * {@link #cached(String)} returns the old layout meanwhile, for the window to show while the new one is computed in
 * the background.
 * <p>
 * <b>Threads.</b> The UMAP library reports progress through a JVM-wide singleton, so one UMAP runs at a time per
 * JVM (others wait); cancel (through {@link Progress}) takes effect at its next progress report, within about a
 * second.
 */
public final class EmbeddingMap {

	/** How a layout was made. */
	public enum Method {
		EMPTY, SINGLE, PCA, UMAP
	}

	/**
	 * Layout settings. {@code epochs} 0 means 500 up to 5,000 items and 200 beyond (umap-learn gives 500 epochs up to
	 * 10,000 items; at 5,000–10,000 items 200 epochs give the same clusters in well under half the time).
	 */
	public record Options(int neighbours, float minDist, long seed, int threads, int pcaDimensions, int epochs) {
		public static final Options DEFAULT = new Options(15, 0.1f, 42, 1, 50, 0);

		public Options {
			if (neighbours < 2) throw new IllegalArgumentException("UMAP needs at least 2 neighbours");
			if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
		}

		/** The same with another thread count (above 1 is faster but not reproducible). */
		public Options withThreads(int t) {
			return new Options(neighbours, minDist, seed, t, pcaDimensions, epochs);
		}

		String key() {
			return String.format(Locale.ROOT, "v1 n=%d d=%s s=%d t=%d p=%d e=%d", neighbours, minDist, seed, threads, pcaDimensions, epochs);
		}
	}

	/**
	 * Coordinates of every item, in the order of {@link #ids}.
	 *
	 * @param hash SHA-256 (hex) of the inputs, the cache key
	 * @param note why the method is not the usual one, or how many points were placed, or empty
	 * @param placed how many of the points were placed among their neighbours in an earlier layout rather than laid out
	 */
	public record Layout(List<String> ids, float[] x, float[] y, Method method, String hash, String note, int placed) {
		public Layout {
			ids = List.copyOf(ids);
			if (x.length != ids.size() || y.length != ids.size()) throw new IllegalArgumentException("One x and one y per id");
		}

		Layout(List<String> ids, float[] x, float[] y, Method method, String hash, String note) {
			this(ids, x, y, method, hash, note, 0);
		}

		public int size() {
			return ids.size();
		}

		@Override
		public float[] x() {
			return x.clone();
		}

		@Override
		public float[] y() {
			return y.clone();
		}

		public float x(int i) {
			return x[i];
		}

		public float y(int i) {
			return y[i];
		}

		/** A spatial index of these points for lasso and hover. */
		public MapIndex index() {
			return new MapIndex(x, y);
		}
	}

	/** Smallest number of items given to UMAP; fewer get PCA. */
	public static final int MIN_UMAP_ITEMS = 15;

	/**
	 * The most points of a layout that may have been placed into an earlier one (new ones and those placed before)
	 * before UMAP lays out all of them again: a tenth.
	 */
	public static final double PLACE_AT_MOST = 0.1;
	/**
	 * The most multiply-adds a placement may take (new points × kept points × dimensions): {@value} is about 3,000 new
	 * points among 100,000 of 763 values, some 15 s on 2 cores (1,000 took about 5 s in {@code bench project}), about a
	 * quarter of a new UMAP of those points (68 s).
	 */
	static final double PLACE_WORK = 2.5e11;

	private static final ReentrantLock UMAP_LOCK = new ReentrantLock();
	/** Version 2 of the cache file adds the options and a hash of each item's vector, to place new points into it. */
	private static final byte[] MAGIC = "LLMAP2".getBytes(StandardCharsets.US_ASCII), MAGIC_1 = "LLMAP1".getBytes(StandardCharsets.US_ASCII);

	private final Path folder;
	private final Options options;

	/** A map cache in {@code <project>/map}, with default options. */
	public EmbeddingMap(Path projectFolder) {
		this(projectFolder, Options.DEFAULT);
	}

	public EmbeddingMap(Path projectFolder, Options options) {
		this.folder = projectFolder.resolve("map");
		this.options = options;
	}

	/** The cache file of a model version. */
	public Path cacheFile(String modelVersion) {
		if (modelVersion == null || modelVersion.isBlank()) throw new IllegalArgumentException("A model version is needed");
		String s = modelVersion.replaceAll("[^A-Za-z0-9._-]", "_");
		return folder.resolve((s.startsWith(".") ? "_" + s : s) + ".bin");
	}

	/**
	 * The layout of these items under a model version: read from the cache when the items, their vectors and the
	 * options are those it was computed from, else computed (and cached).
	 */
	public Layout layout(String modelVersion, List<String> ids, List<float[]> vectors, Progress progress) {
		return layout(modelVersion, ids, vectors, List.of(), progress);
	}

	/**
	 * Like {@link #layout(String, List, List, Progress)}, and when one of the {@code earlier} versions' cached layouts
	 * was made from the same items, vectors and options (a Retrain that added labels but no images, with the same
	 * embedder), that layout is taken over: UMAP of the same points gives the same map, and at 100,000 points it takes
	 * over a minute.
	 */
	public Layout layout(String modelVersion, List<String> ids, List<float[]> vectors, List<String> earlier, Progress progress) {
		if (ids.size() != vectors.size()) throw new IllegalArgumentException(ids.size() + " ids but " + vectors.size() + " vectors");
		long[] itemHashes = itemHashes(vectors); // the one pass over the vectors: the whole input's hash is made from these
		String hash = hash(ids, itemHashes, options);
		if (hash.equals(cachedHash(modelVersion))) {
			Optional<Layout> c = cached(modelVersion);
			if (c.isPresent() && c.get().hash().equals(hash)) return c.get();
		}
		for (String e : earlier) {
			if (!hash.equals(cachedHash(e))) continue; // the header only: a whole file is read just for the one taken
			Optional<Layout> same = cached(e).filter(l -> l.hash().equals(hash));
			if (same.isPresent()) {
				write(cacheFile(modelVersion), same.get(), itemHashes);
				return same.get();
			}
		}
		for (String e : earlier) {
			Optional<Layout> placed = placeInto(e, ids, vectors, itemHashes, hash, progress);
			if (placed.isPresent()) {
				write(cacheFile(modelVersion), placed.get(), itemHashes);
				return placed.get();
			}
		}
		Layout l = compute(ids, vectors, options, hash, progress);
		write(cacheFile(modelVersion), l, itemHashes);
		return l;
	}

	/**
	 * The points of an earlier UMAP layout kept where they are, and the new ones (new items, or a changed vector) placed
	 * among their nearest kept points, when the earlier layout was made with these options and at most
	 * {@link #PLACE_AT_MOST} of the points would then have been placed rather than laid out; else empty. A point is
	 * placed at the mean of its {@code neighbours} most similar kept points' places (cosine similarity of the unit
	 * vectors, exact), weighted as UMAP weighs neighbours ({@code exp(−(d − d_nearest) / σ)}, σ the mean of
	 * {@code d − d_nearest}): where UMAP's own transform starts a new point, without its further optimisation.
	 * Adding images between two Retrains then costs seconds instead of a new UMAP of every point.
	 */
	private Optional<Layout> placeInto(String earlier, List<String> ids, List<float[]> vectors, long[] itemHashes, String hash, Progress progress) {
		Optional<Stored> old = read(cacheFile(earlier));
		if (old.isEmpty() || old.get().itemHashes() == null || !options.key().equals(old.get().options())) return Optional.empty();
		Layout before = old.get().layout();
		if (before.method() != Method.UMAP) return Optional.empty();
		java.util.Map<String, Integer> at = new java.util.HashMap<>(before.size() * 2);
		for (int i = 0; i < before.size(); i++) at.put(before.ids().get(i), i);
		int n = ids.size();
		int[] from = new int[n]; // the point's index in the earlier layout, or -1 when it is to be placed
		int fresh = 0;
		for (int i = 0; i < n; i++) {
			Integer j = at.get(ids.get(i));
			from[i] = j != null && old.get().itemHashes()[j] == itemHashes[i] ? j : -1;
			if (from[i] < 0) fresh++;
		}
		if (fresh == 0 || n - fresh < MIN_UMAP_ITEMS) return Optional.empty();
		// how many of the kept points were placed before is not known one by one: count them all as still placed
		int placed = fresh + Math.min(before.placed(), n - fresh);
		if (placed > PLACE_AT_MOST * n) return Optional.empty();
		int d = vectors.get(0).length;
		for (float[] v : vectors)
			if (v.length != d) return Optional.empty(); // compute() says what is wrong
		if ((double) fresh * (n - fresh) * d > PLACE_WORK) return Optional.empty(); // UMAP would be as quick
		float[][] kept = new float[n - fresh][], added = new float[fresh][];
		float[] keptX = new float[n - fresh], keptY = new float[n - fresh];
		int[] addedAt = new int[fresh];
		float[] x = new float[n], y = new float[n];
		for (int i = 0, k = 0, a = 0; i < n; i++) {
			if (from[i] >= 0) {
				kept[k] = vectors.get(i); // made unit a block at a time by place(), not all at once (300 MB at 100,000 × 763)
				x[i] = keptX[k] = before.x(from[i]);
				y[i] = keptY[k++] = before.y(from[i]);
			} else {
				addedAt[a] = i;
				added[a++] = unit(vectors.get(i));
			}
		}
		float[][] xy = place(kept, keptX, keptY, added, Math.min(options.neighbours(), kept.length), progress);
		for (int a = 0; a < fresh; a++) {
			x[addedAt[a]] = xy[a][0];
			y[addedAt[a]] = xy[a][1];
		}
		progress.report(1, "Map ready");
		String note = String.format(Locale.ROOT, "%,d of %,d points placed among their nearest neighbours in the map of %s; UMAP lays out all of them again once over %d%% are placed.",
				placed, n, earlier, Math.round(PLACE_AT_MOST * 100));
		return Optional.of(new Layout(ids, x, y, Method.UMAP, hash, note, placed));
	}

	/**
	 * Places each of {@code added} (unit vectors) among its {@code k} most similar {@code kept} points (any length: they
	 * are scaled to unit length a block at a time); see {@link #placeInto}.
	 */
	static float[][] place(float[][] kept, float[] keptX, float[] keptY, float[][] added, int k, Progress progress) {
		int m = added.length;
		float[][] sim = new float[m][k];
		int[][] idx = new int[m][k];
		for (float[] s : sim) java.util.Arrays.fill(s, Float.NEGATIVE_INFINITY);
		final int block = 128;
		float[][] dots = new float[m][block];
		for (int b = 0; b < kept.length; b += block) {
			if (b % (block * 64) == 0) {
				progress.checkCancelled("The map");
				progress.report(b / (double) kept.length, "Placing " + m + " new points in the map");
			}
			int e = Math.min(kept.length, b + block), first = b;
			float[][] unitBlock = new float[e - b][];
			for (int i = b; i < e; i++) unitBlock[i - b] = unit(kept[i]);
			org.labelloop.core.vector.Columns c = org.labelloop.core.vector.Columns.of(unitBlock, 0, e - b);
			java.util.stream.IntStream range = java.util.stream.IntStream.range(0, m);
			(m > 8 ? range.parallel() : range).forEach(a -> {
				c.dots(added[a], dots[a]);
				float[] s = sim[a];
				int[] ix = idx[a];
				for (int i = 0; i < e - first; i++) {
					float v = dots[a][i];
					if (v <= s[k - 1]) continue;
					int p = k - 1; // insertion into the sorted list, best first
					while (p > 0 && s[p - 1] < v) {
						s[p] = s[p - 1];
						ix[p] = ix[p - 1];
						p--;
					}
					s[p] = v;
					ix[p] = first + i;
				}
			});
		}
		float[][] out = new float[m][2];
		for (int a = 0; a < m; a++) {
			double nearest = 1 - sim[a][0], sigma = 0;
			for (int j = 0; j < k; j++) sigma += (1 - sim[a][j]) - nearest;
			sigma = Math.max(sigma / k, 1e-6);
			double sw = 0, sx = 0, sy = 0;
			for (int j = 0; j < k; j++) {
				double w = Math.exp(-((1 - sim[a][j]) - nearest) / sigma);
				sw += w;
				sx += w * keptX[idx[a][j]];
				sy += w * keptY[idx[a][j]];
			}
			out[a][0] = (float) (sx / sw);
			out[a][1] = (float) (sy / sw);
		}
		return out;
	}

	/**
	 * A 64-bit hash of each vector's values and length: tells the points an earlier layout may keep, and makes the
	 * whole input's {@link #hash}.
	 */
	static long[] itemHashes(List<float[]> vectors) {
		long[] out = new long[vectors.size()];
		for (int i = 0; i < out.length; i++) {
			long h = 0x9E3779B97F4A7C15L ^ vectors.get(i).length;
			for (float v : vectors.get(i)) {
				h ^= Float.floatToIntBits(v);
				h *= 0xBF58476D1CE4E5B9L;
				h ^= h >>> 31;
			}
			out[i] = h;
		}
		return out;
	}

	/** The last layout cached for a model version, whatever items it was made from; empty if none or unreadable. */
	public Optional<Layout> cached(String modelVersion) {
		return read(cacheFile(modelVersion)).map(Stored::layout);
	}

	/** The hash of the layout cached for a model version, read from the file's header alone; null if none or unreadable. */
	String cachedHash(String modelVersion) {
		Path f = cacheFile(modelVersion);
		if (!Files.isRegularFile(f)) return null;
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 10))) {
			byte[] magic = in.readNBytes(MAGIC.length);
			return java.util.Arrays.equals(magic, MAGIC) || java.util.Arrays.equals(magic, MAGIC_1) ? in.readUTF() : null;
		} catch (IOException | RuntimeException e) {
			return null;
		}
	}

	/** A cache file's layout, the options it was made with and each item's vector hash (both null in a version 1 file). */
	private record Stored(Layout layout, String options, long[] itemHashes) {
	}

	private static Optional<Stored> read(Path f) {
		if (!Files.isRegularFile(f)) return Optional.empty();
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
			byte[] magic = in.readNBytes(MAGIC.length);
			boolean v2 = java.util.Arrays.equals(magic, MAGIC);
			if (!v2 && !java.util.Arrays.equals(magic, MAGIC_1)) return Optional.empty();
			String hash = in.readUTF();
			String options = v2 ? in.readUTF() : null;
			Method method = Method.valueOf(in.readUTF());
			String note = in.readUTF();
			int placed = v2 ? in.readInt() : 0;
			int n = in.readInt();
			List<String> ids = new ArrayList<>(n);
			float[] x = new float[n], y = new float[n];
			long[] hashes = v2 ? new long[n] : null;
			for (int i = 0; i < n; i++) {
				ids.add(in.readUTF());
				x[i] = in.readFloat();
				y[i] = in.readFloat();
				if (v2) hashes[i] = in.readLong();
			}
			return Optional.of(new Stored(new Layout(ids, x, y, method, hash, note, placed), options, hashes));
		} catch (IOException | RuntimeException e) {
			return Optional.empty(); // a damaged cache is recomputed
		}
	}

	private void write(Path f, Layout l, long[] itemHashes) {
		try {
			Files.createDirectories(f.getParent());
			Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
			try (OutputStream os = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
				out.write(MAGIC);
				out.writeUTF(l.hash());
				out.writeUTF(options.key());
				out.writeUTF(l.method().name());
				out.writeUTF(l.note());
				out.writeInt(l.placed());
				out.writeInt(l.size());
				for (int i = 0; i < l.size(); i++) {
					out.writeUTF(l.ids().get(i));
					out.writeFloat(l.x[i]);
					out.writeFloat(l.y[i]);
					out.writeLong(itemHashes[i]);
				}
			}
			try {
				Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
			}
		} catch (IOException e) {
			// the layout is still returned; it will be computed again next time
		}
	}

	/** SHA-256 of the ids, vectors and options. */
	public static String hash(List<String> ids, List<float[]> vectors, Options options) {
		if (ids.size() != vectors.size()) throw new IllegalArgumentException(ids.size() + " ids but " + vectors.size() + " vectors");
		return hash(ids, itemHashes(vectors), options);
	}

	/** SHA-256 of the options and of each id with its vector's 64-bit {@link #itemHashes hash}. */
	private static String hash(List<String> ids, long[] itemHashes, Options options) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update(options.key().getBytes(StandardCharsets.UTF_8));
			ByteBuffer buf = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
			for (int i = 0; i < ids.size(); i++) {
				md.update(ids.get(i).getBytes(StandardCharsets.UTF_8));
				md.update((byte) 0);
				md.update(buf.clear().putLong(itemHashes[i]).array());
			}
			return HexFormat.of().formatHex(md.digest());
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Computes a layout without any cache. */
	public static Layout compute(List<String> ids, List<float[]> vectors, Options options, Progress progress) {
		return compute(ids, vectors, options, hash(ids, vectors, options), progress);
	}

	private static Layout compute(List<String> ids, List<float[]> vectors, Options options, String hash, Progress progress) {
		int n = ids.size();
		if (vectors.size() != n) throw new IllegalArgumentException(n + " ids but " + vectors.size() + " vectors");
		if (n == 0) return new Layout(ids, new float[0], new float[0], Method.EMPTY, hash, "");
		if (n == 1) return new Layout(ids, new float[1], new float[1], Method.SINGLE, hash, "One item: placed at the centre.");
		int d = vectors.get(0).length;
		float[][] rows = new float[n][];
		for (int i = 0; i < n; i++) {
			float[] v = vectors.get(i);
			if (v.length != d)
				throw new LabelLoopException("Item '" + ids.get(i) + "' has a " + v.length + "-dimension embedding, the others " + d
						+ "; a map needs the embeddings of one model version.");
			rows[i] = unit(v);
		}
		progress.checkCancelled("The map");
		if (n < MIN_UMAP_ITEMS) {
			float[][] p = Pca.exact2d(rows);
			return layout(ids, p, Method.PCA, hash, n + " items: too few for UMAP, placed by principal components.");
		}
		Progress pcaProgress = sub(progress, 0, 0.1);
		float[][] reduced = d > options.pcaDimensions() ? Pca.project(rows, options.pcaDimensions(), options.seed(), pcaProgress) : rows;
		float[][] xy;
		String failure;
		try {
			xy = umap(reduced, options, sub(progress, 0.1, 1.0));
			failure = finite(xy) ? null : "UMAP gave non-finite coordinates";
		} catch (CancelledException e) {
			throw e;
		} catch (RuntimeException e) {
			xy = null;
			failure = "UMAP failed (" + e + ")";
		}
		if (failure != null) {
			float[][] p = n <= 2000 ? Pca.exact2d(rows) : Pca.project(rows, 2, options.seed(), Progress.NONE);
			return layout(ids, p, Method.PCA, hash, failure + "; placed by principal components instead.");
		}
		progress.report(1, "Map ready");
		return layout(ids, xy, Method.UMAP, hash, "");
	}

	private static float[][] umap(float[][] data, Options options, Progress progress) {
		UMAP_LOCK.lock();
		ProgressListener listener = (ProgressState s) -> {
			if (s.getTotal() > 0) progress.report(Math.min(1, s.getCount() / (double) s.getTotal()), "Laying out the map (UMAP)");
			progress.checkCancelled("The map");
		};
		try {
			progress.checkCancelled("The map");
			UmapProgress.addProgressListener(listener);
			Umap umap = new Umap();
			umap.setNumberComponents(2);
			umap.setNumberNearestNeighbours(Math.min(options.neighbours(), data.length - 1));
			umap.setMinDist(options.minDist());
			umap.setThreads(options.threads());
			umap.setSeed(options.seed());
			umap.setNumberEpochs(options.epochs() > 0 ? options.epochs() : data.length <= 5000 ? 500 : 200);
			umap.setVerbose(false);
			return umap.fitTransform(data);
		} finally {
			UmapProgress.removeProgressListener(listener);
			UMAP_LOCK.unlock();
		}
	}

	private static boolean finite(float[][] xy) {
		for (float[] p : xy)
			if (p.length < 2 || !Float.isFinite(p[0]) || !Float.isFinite(p[1])) return false;
		return true;
	}

	private static Layout layout(List<String> ids, float[][] p, Method m, String hash, String note) {
		float[] x = new float[p.length], y = new float[p.length];
		for (int i = 0; i < p.length; i++) {
			x[i] = p[i][0];
			y[i] = p[i].length > 1 ? p[i][1] : 0;
		}
		return new Layout(ids, x, y, m, hash, note);
	}

	private static float[] unit(float[] v) {
		double s = 0;
		for (float x : v) s += (double) x * x;
		s = Math.sqrt(s);
		float[] r = new float[v.length];
		if (s == 0) return r;
		for (int i = 0; i < v.length; i++) r[i] = (float) (v[i] / s);
		return r;
	}

	/** A progress that maps [0, 1] onto [from, to] of another. */
	private static Progress sub(Progress p, double from, double to) {
		return new Progress() {
			@Override
			public void report(double fraction, String message) {
				p.report(from + (to - from) * fraction, message);
			}

			@Override
			public boolean isCancelled() {
				return p.isCancelled();
			}
		};
	}
}
