package org.labelloop.fiji;

import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Review;
import org.labelloop.core.model.LabelClass;

import ij.IJ;
import ij.measure.ResultsTable;

/**
 * Plugins>LabelLoop>Label Quality: the active model's out-of-fold confusion matrix as a table (one row per labelled
 * class: counts per predicted class, precision, recall), and the most confused class pairs with the items behind
 * them, and the agreement between users who labelled the same items (Cohen's kappa per pair and class) in the log.
 */
public class LabelQuality extends LabelLoopCommand {

	static final String TABLE = "LabelLoop label quality";

	@Override protected String title() { return "Label Quality"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Task", List.of("image", "roi"), "image");
		if (!d.show()) return;
		Backend b = session.backend();
		Review.Quality q = b.labelQuality(d.get("task"));
		Map<Long, String> names = b.classes().stream().collect(Collectors.toMap(LabelClass::id, LabelClass::name));
		ResultsTable rt = table(q, names);
		if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) rt.show(TABLE + " (" + q.task() + ")");
		info("model " + q.model() + " (" + q.task() + "), out-of-fold: rows = label, columns = prediction");
		for (int r = 0; r < rt.size(); r++) IJ.log("  " + rt.getRowAsString(r));
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

	static ResultsTable table(Review.Quality q, Map<Long, String> names) {
		ResultsTable rt = new ResultsTable();
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
