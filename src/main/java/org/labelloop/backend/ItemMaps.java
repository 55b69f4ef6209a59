package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.labelloop.core.map.EmbeddingMap;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.vector.VectorIndex;
import org.labelloop.core.vector.VectorItem;

/**
 * The 2D map of a model version's items (UMAP, cached per version in the project), computed on demand or in the
 * background after Retrain; while it is computed the newest older version's map is shown.
 */
final class ItemMaps {

	private final ProjectStore store;
	private final ItemIndex index;
	private final EmbeddingMap maps;
	private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "LabelLoop map");
		t.setDaemon(true);
		t.setPriority(Thread.MIN_PRIORITY);
		return t;
	});
	private volatile boolean closed;

	ItemMaps(ProjectStore store, ItemIndex index) {
		this.store = store;
		this.index = index;
		this.maps = new EmbeddingMap(store.folder());
	}


	/** The active version's layout if cached, else the newest older version's cached layout (marked not current). */
	Optional<Similar.MapLayout> mapNow(Task task) {
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
	Similar.MapLayout map(Task task, Progress progress) {
		ModelVersion m = SimilarQueries.activeOf(store, task);
		synchronized (mapLock) { // the window waits for the background computation rather than doing it twice
			return computeMap(m, progress);
		}
	}

	private final Object mapLock = new Object();

	private Similar.MapLayout computeMap(ModelVersion m, Progress progress) {
		Optional<EmbeddingMap.Layout> cached = maps.cached(m.name());
		if (cached.isPresent()) return layout(m, cached.get(), true);
		VectorIndex ix = index.index(m);
		List<VectorItem> items = new ArrayList<>(ix.items(index.payloads().all(m).keySet()));
		items.sort(Comparator.comparing(VectorItem::id));
		// the versions before it with the same embedder, newest first: the same points give the same map, and a few
		// new ones are placed into it
		List<String> earlier = store.models().stream().filter(o -> o.task().equals(m.task()) && o.embedder().equals(m.embedder()) && o.id() < m.id()
				&& o.state() == ModelVersion.State.READY).sorted(Comparator.comparingLong(ModelVersion::id).reversed()).limit(3).map(ModelVersion::name).toList();
		EmbeddingMap.Layout l = maps.layout(m.name(), items.stream().map(VectorItem::id).toList(), items.stream().map(VectorItem::vector).toList(), earlier,
				progress);
		return layout(m, l, true);
	}

	/** Computes the active version's map in the background (after Retrain); errors go nowhere: the window asks again. */
	void computeMapLater(Task task) {
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
		Map<String, String> names = SimilarQueries.classNamesById(store);
		Map<String, Map<String, String>> payloads = index.payloads().all(m);
		Map<Target, Prediction> predictions = new HashMap<>();
		for (Prediction p : store.predictions(m.id())) predictions.put(p.target(), p);
		List<Similar.Point> points = new ArrayList<>(l.size());
		for (int i = 0; i < l.size(); i++) {
			String id = l.ids().get(i);
			Similar.ItemRef r = Similar.parse(id);
			Map<String, String> p = payloads.get(id);
			if (p == null) continue; // a deleted ROI, or an image no longer in the project
			long imageId = Long.parseLong(p.get(VectorItem.IMAGE));
			Prediction pr = predictions.get(r.target());
			String cls = p.get(VectorItem.CLASS);
			points.add(new Similar.Point(id, imageId, l.x(i), l.y(i), cls == null ? null : names.getOrDefault(cls, "class " + cls), p.get(VectorItem.STATUS),
					pr == null || pr.predictedClass() == null ? null : names.getOrDefault(Long.toString(pr.predictedClass()), "class " + pr.predictedClass()),
					pr == null ? Double.NaN : pr.confidence()));
		}
		return new Similar.MapLayout(m.task(), m.name(), current, points, l.method().name().toLowerCase(Locale.ROOT), l.note());
	}

	/** Stops the background computation (waiting up to 20 s for it to notice). */
	void close() {
		closed = true;
		background.shutdownNow();
		try {
			background.awaitTermination(20, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
