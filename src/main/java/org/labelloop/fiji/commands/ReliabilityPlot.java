package org.labelloop.fiji.commands;

import java.awt.Color;
import java.util.Locale;
import java.util.Map;

import org.labelloop.backend.Review;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.learn.Metrics;

import ij.ImagePlus;
import ij.gui.Plot;

/**
 * The reliability diagram of the active model's out-of-fold confidences (issue 15): one point per confidence bin at
 * (mean confidence, accuracy), its size the bin's share of the items, against the diagonal a calibrated model lies
 * on; the title gives the ECE after and before temperature scaling and how the folds were grouped. An ImageJ
 * {@link Plot}, so it renders and saves headless too.
 */
final class ReliabilityPlot {

	private ReliabilityPlot() {
	}

	static ImagePlus render(Review.Quality q) {
		Metrics.Reliability r = q.reliability();
		Map<String, Double> m = q.metrics();
		Plot plot = new Plot("LabelLoop reliability (" + q.task() + ")", "confidence (mean of the bin)", "accuracy");
		plot.setLimits(0, 1, 0, 1);
		plot.setColor(Color.gray);
		plot.drawLine(0, 0, 1, 1);
		int n = java.util.Arrays.stream(r.count()).sum();
		for (int b = 0; b < r.count().length; b++) {
			if (r.count()[b] == 0) continue;
			plot.setColor(new Color(31, 119, 180));
			plot.setLineWidth(Math.max(2, (int) Math.round(14.0 * Math.sqrt((double) r.count()[b] / n))));
			plot.add("circle", new double[] { r.meanConfidence()[b] }, new double[] { r.accuracy()[b] });
		}
		plot.setLineWidth(1);
		plot.setColor(Color.black);
		plot.addLabel(0.02, 0.08, String.format(Locale.ROOT, "model %s: %d labelled items, ECE %s%s", q.model(), n, fmt(r.ece()), TrainReport.calibration(m)));
		plot.addLabel(0.02, 0.14, TrainReport.grouping(m));
		return plot.getImagePlus();
	}

	private static String fmt(double v) {
		return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
	}
}
