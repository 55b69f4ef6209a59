package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.backend.Backend;
import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.Similar;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.fiji.ui.EmbeddingMapWindow;
import org.labelloop.fiji.ui.SimilarItemsWindow;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * What the Similar Items and Embedding Map commands do besides asking their options: the item the user means (the
 * selected LabelLoop ROI, else the current image), the windows when there is a display, and the query (and bulk
 * label) without a window for macros ({@code label=} given) and headless runs.
 */
final class SimilarCommands {

	/** Title of the results table a query without a window fills (macros read it with {@code Table.get}). */
	static final String TABLE = "Similar Items";

	private SimilarCommands() {
	}

	/**
	 * {@code roi:<id>} of the selected LabelLoop ROI on the current image, else the slice shown of a volume
	 * ({@code slice:<id>:<z>}), else {@code image:<id>}, else "".
	 */
	static String currentItem(LabelLoopSession session) {
		if (!session.isOpen()) return "";
		return session.currentImageId().map(imageId -> {
			ImagePlus imp = session.currentImage();
			for (Roi r : new RoiEdits(session.backend(), imp).selected()) {
				Object id = r.getProperty(AnnotationView.ID);
				if (id != null) return Similar.item(Similar.ROI, Long.parseLong(id.toString()));
			}
			if (imp.getNSlices() > 1 && session.backend().image(imageId).slices() > 1) return Similar.ItemRef.slice(imageId, imp.getZ()).toString();
			return Similar.item(Similar.IMAGE, imageId);
		}).orElse("");
	}

	static boolean windows() {
		return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
	}

	/** Similar Items: the window, or (headless, or {@code label=} given) the query, its table and the bulk label. */
	static void similar(LabelLoopSession session, String item, String negative, int k, String filter, String strategy, String label, boolean accepted) {
		if (item.isBlank())
			throw new LabelLoopException("Similar items of what? Open an image (Next Image) or select a LabelLoop ROI, or give item=image:<id>, item=roi:<id> or item=slice:<id>:<z>.");
		List<String> neg = negative.isBlank() ? List.of() : Arrays.stream(negative.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
		Similar.Query q = new Similar.Query(List.of(item), neg, k, ItemFilter.parse(filter), strategy);
		if (label.isBlank() && windows()) {
			EventQueue.invokeLater(() -> SimilarItemsWindow.showQuery(session, item, neg, k, filter, strategy));
			return;
		}
		Similar.Result r = session.require(Backend.Similarity.class).similar(q);
		ResultsTable t = new ResultsTable();
		for (Similar.Item it : r.items()) {
			t.incrementCounter();
			t.addValue("item", it.item());
			t.addValue("image", it.imageName());
			t.addValue("score", it.score());
			t.addValue("class", it.label() == null ? "" : it.label());
			t.addValue("status", it.status() == null ? "" : it.status());
			t.addValue("area", it.area() == null ? Double.NaN : it.area());
			t.addValue("mean", it.mean() == null ? Double.NaN : it.mean());
		}
		if (windows()) t.show(TABLE);
		LabelLoopCommand.info(r.items().isEmpty() ? r.message()
				: r.items().size() + " item(s) like " + item + " (model " + r.modelVersion() + (r.exact() ? ", exact" : "") + "): "
						+ String.join(", ", r.items().stream().limit(10).map(it -> it.item() + String.format(Locale.ROOT, " %.3f", it.score())).toList())
						+ (r.items().size() > 10 ? ", …" : ""));
		if (label.isBlank() || r.items().isEmpty()) return;
		Similar.BulkReport b = session.require(Backend.Similarity.class).bulkLabel(new Similar.BulkLabel(r.items().stream().map(Similar.Item::item).toList(), label, accepted,
				q.describe()));
		session.refreshCurrent();
		LabelLoopCommand.info(b.summary() + " as " + label + (accepted ? "" : " (weak)"));
	}

	/**
	 * Embedding Map: the window, or headless the map computed (and cached) with a line saying what it holds and how
	 * many items pass the filter (blank: no filter).
	 */
	static void map(LabelLoopSession session, Task task, String colour, String filter) {
		ItemFilter f = ItemFilter.parse(filter); // a malformed filter is refused before any window opens
		if (windows()) {
			EventQueue.invokeLater(() -> EmbeddingMapWindow.show(session, task, colour, filter));
			return;
		}
		ImageJProgress p = new ImageJProgress("Embedding map");
		Backend.Similarity backend = session.require(Backend.Similarity.class);
		Similar.MapLayout m = backend.map(task, p);
		String line = "Embedding map of " + m.points().size() + " item(s), model " + m.modelVersion() + " (" + m.method() + ")"
				+ (f.isAll() ? "" : "; " + backend.matching(task, f).size() + " pass the filter [" + f + "]");
		p.done(line);
		LabelLoopCommand.info(line);
	}
}
