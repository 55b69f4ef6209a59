package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Review;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.model.LabelClass;

import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Target;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;

/**
 * Plugins>LabelLoop>Label Quality: the active model's out-of-fold confusion matrix as a plot (click a cell to list
 * and open the items behind it; {@code save_plot=[file.png]} saves it, headless too) and a table (one row per
 * labelled class: counts per predicted class, precision, recall), and the most confused class pairs with the items behind
 * them, the reliability diagram of its confidences ({@link ReliabilityPlot}; saved beside the matrix as
 * {@code file-reliability.png}) with how its folds were grouped, and the agreement between users who labelled the same items (Cohen's kappa per pair and class) in the log.
 */
public class LabelQuality extends LabelLoopCommand {

	public static final String TABLE = "LabelLoop label quality";

	@Override protected String title() { return "Label Quality"; }

	@Override protected Class<?> needs() { return Backend.Reviewing.class; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Task", List.of("image", "roi"), "image").addString("Save_plot", "");
		if (!d.show()) return;
		Backend.Reviewing b = session.require(Backend.Reviewing.class);
		Review.Quality q = b.labelQuality(Task.parse(d.get("task")));
		Map<Long, String> names = b.classes().stream().collect(Collectors.toMap(LabelClass::id, LabelClass::name));
		ResultsTable rt = table(q, names);
		ImagePlus plot = ConfusionPlot.render(q, names);
		ImagePlus reliability = ReliabilityPlot.render(q);
		if (!d.get("save_plot").isEmpty()) {
			String file = d.get("save_plot"), second = file.replaceFirst("(\\.png)?$", "-reliability.png");
			if (!new ij.io.FileSaver(plot).saveAsPng(file) || !new ij.io.FileSaver(reliability).saveAsPng(second))
				throw new LabelLoopException("Could not save the plots to " + file + " and " + second + ".");
			info("confusion matrix saved to " + file + ", reliability diagram to " + second);
		}
		if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) {
			rt.show(TABLE + " (" + q.task() + ")");
			showPlot(session, plot, q, names);
			ImagePlus old = WindowManager.getImage(reliability.getTitle());
			if (old != null) old.close(); // only LabelLoop's own diagram of this task
			reliability.show();
		}
		info("model " + q.model() + " (" + q.task() + "), out-of-fold: rows = label, columns = prediction; " + TrainReport.grouping(q.metrics())
				+ "; ECE " + String.format(Locale.ROOT, "%.3f", q.reliability().ece()) + TrainReport.calibration(q.metrics()));
		for (String line : lines(q, names)) IJ.log("  " + line);
		int shown = 0;
		for (Review.Confusion c : q.confused()) {
			if (shown++ == 5) break;
			IJ.log(String.format(Locale.ROOT, "  confused: %d labelled %s predicted %s: %s", c.count(), names.get(c.given()), names.get(c.predicted()),
					c.items().stream().map(t -> t.isImage() ? b.image(t.id()).name() : "ROI " + t.id()).collect(Collectors.joining(", "))));
		}
		Review.Agreement ag = b.agreement();
		for (Review.PairAgreement p : ag.pairs())
			IJ.log(String.format(Locale.ROOT, "  agreement %s / %s: %d item(s), %.0f%% same, kappa %.2f; per class: %s", p.userA(), p.userB(), p.items(),
					100 * p.observed(), p.kappa(), p.kappaPerClass().entrySet().stream()
							.map(e -> names.get(e.getKey()) + String.format(Locale.ROOT, " %.2f", e.getValue())).collect(Collectors.joining(", "))));
		for (Review.Disagreement x : ag.disagreements())
			IJ.log("  disagreement on " + b.image(x.imageId()).name() + ": " + x.userA() + " " + names.get(x.classA()) + " (annotation " + x.a() + "), "
					+ x.userB() + " " + names.get(x.classB()) + " (annotation " + x.b() + ")");
	}

	/** Shows the plot; a click on a confused cell lists its items in the log and opens the first one. */
	private static void showPlot(LabelLoopSession session, ImagePlus plot, Review.Quality q, Map<Long, String> names) {
		ImagePlus old = WindowManager.getImage(plot.getTitle());
		if (old != null) old.close(); // only LabelLoop's own plot of this task
		plot.show();
		plot.getCanvas().addMouseListener(new MouseAdapter() {
			@Override
			public void mouseClicked(MouseEvent e) {
				var canvas = plot.getCanvas();
				ConfusionPlot.cellAt(canvas.offScreenX(e.getX()), canvas.offScreenY(e.getY()), q.classIds().size()).ifPresent(cell -> {
					List<Target> items = ConfusionPlot.items(q, cell[0], cell[1]);
					String pair = names.get(q.classIds().get(cell[0])) + " → " + names.get(q.classIds().get(cell[1]));
					IJ.showStatus(items.isEmpty() ? pair + ": nothing confused here" : pair + ": " + items.size() + " item(s), opening the first");
					if (items.isEmpty()) return;
					Backend.Reviewing b = session.require(Backend.Reviewing.class);
					new Thread(() -> {
						try {
							IJ.log("LabelLoop: labelled " + pair + ": " + items.stream().map(t -> describe(b, t)).collect(Collectors.joining(", ")));
							Target t = items.get(0);
							long imageId = t.isImage() ? t.id() : b.annotation(t.id()).orElseThrow().imageId();
							session.show(b.image(imageId));
						} catch (RuntimeException ex) {
							IJ.error("Label Quality", ex.getMessage());
						}
					}, "LabelLoop open confused item").start();
				});
			}
		});
	}

	private static String describe(Backend b, Target t) {
		return t.isImage() ? b.image(t.id()).name() : "ROI " + t.id();
	}

	/**
	 * The table as aligned text for the log, with its header: counts, then precision and recall as {@code 0.83}, or
	 * {@code -} where there is nothing to divide by (no item predicted or labelled as that class).
	 */
	static List<String> lines(Review.Quality q, Map<Long, String> names) {
		int k = q.classIds().size();
		List<List<String>> rows = new java.util.ArrayList<>();
		List<String> head = new java.util.ArrayList<>(List.of("label"));
		for (Long c : q.classIds()) head.add("→" + names.get(c));
		head.addAll(List.of("precision", "recall"));
		rows.add(head);
		for (int i = 0; i < k; i++) {
			List<String> row = new java.util.ArrayList<>(List.of(names.get(q.classIds().get(i))));
			for (int j = 0; j < k; j++) row.add(String.valueOf(q.matrix()[i][j]));
			row.add(ratio(q.precision()[i]));
			row.add(ratio(q.recall()[i]));
			rows.add(row);
		}
		int[] width = new int[head.size()];
		for (List<String> r : rows) for (int c = 0; c < r.size(); c++) width[c] = Math.max(width[c], r.get(c).length());
		List<String> out = new java.util.ArrayList<>();
		for (List<String> r : rows) {
			StringBuilder b = new StringBuilder(String.format("%-" + width[0] + "s", r.get(0)));
			for (int c = 1; c < r.size(); c++) b.append("  ").append(String.format("%" + width[c] + "s", r.get(c)));
			out.add(b.toString());
		}
		return out;
	}

	private static String ratio(double v) {
		return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
	}

	static ResultsTable table(Review.Quality q, Map<Long, String> names) {
		ResultsTable rt = new ResultsTable();
		rt.setNaNEmptyCells(true); // "nothing to divide by" shows as an empty cell, not NaN
		for (int i = 0; i < q.classIds().size(); i++) {
			rt.incrementCounter();
			rt.addValue("label", names.get(q.classIds().get(i)));
			for (int j = 0; j < q.classIds().size(); j++) rt.addValue("→" + names.get(q.classIds().get(j)), q.matrix()[i][j]);
			rt.addValue("precision", q.precision()[i]);
			rt.addValue("recall", q.recall()[i]);
		}
		return rt;
	}
}
