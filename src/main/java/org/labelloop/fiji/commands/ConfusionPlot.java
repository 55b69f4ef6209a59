package org.labelloop.fiji.commands;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.labelloop.backend.Review;

import ij.ImagePlus;
import ij.process.ColorProcessor;

/**
 * The out-of-fold confusion matrix as a picture: one cell per (label, prediction) pair, shaded by the share of the
 * label's items it holds (blue on the diagonal — right —, red off it — confused —), with the count written in it.
 * Rows are labels, columns predictions, in the model's class order. Drawn with ImageJ's processors, so it renders
 * (and saves) headless too.
 */
public final class ConfusionPlot {

	public static final int CELL = 48, LEFT = 130, TOP = 96;

	private ConfusionPlot() {
	}

	static ImagePlus render(Review.Quality q, Map<Long, String> names) {
		List<Long> ids = q.classIds();
		int k = ids.size();
		ColorProcessor ip = new ColorProcessor(LEFT + k * CELL + 12, TOP + k * CELL + 12);
		ip.setColor(Color.white);
		ip.fill();
		ip.setAntialiasedText(true);
		ip.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		ip.setColor(Color.black);
		ip.drawString("model " + q.model() + " (" + q.task() + "), out-of-fold", 8, 20);
		ip.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		ip.drawString("rows: label   columns: prediction", 8, 38);
		for (int i = 0; i < k; i++) {
			int total = 0;
			for (int v : q.matrix()[i]) total += v;
			ip.setColor(Color.black);
			ip.drawString(shorten(names.get(ids.get(i)), 16), 8, TOP + i * CELL + CELL / 2 + 6);
			for (int j = 0; j < k; j++) {
				int n = q.matrix()[i][j];
				double share = total == 0 ? 0 : (double) n / total;
				ip.setColor(shade(share, i == j));
				ip.fillRect(LEFT + j * CELL, TOP + i * CELL, CELL - 2, CELL - 2);
				ip.setColor(share > 0.55 ? Color.white : Color.black);
				String text = Integer.toString(n);
				ip.drawString(text, LEFT + j * CELL + (CELL - 2 - ip.getStringWidth(text)) / 2, TOP + i * CELL + CELL / 2 + 5);
			}
		}
		ip.setColor(Color.black);
		ip.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		for (int j = 0; j < k; j++) ip.drawString(shorten(names.get(ids.get(j)), 7), LEFT + j * CELL + 2, TOP - 8);
		return new ImagePlus("LabelLoop confusion matrix (" + q.task() + ")", ip);
	}

	/** White to blue (right) or white to red (confused) with the share of the row. */
	static Color shade(double share, boolean diagonal) {
		int fade = (int) Math.round(255 * (1 - Math.min(1, Math.max(0, share))));
		return diagonal ? new Color(fade, fade, 255) : new Color(255, fade, fade);
	}

	/** The (label, prediction) indices of the cell at a pixel of the picture. */
	static Optional<int[]> cellAt(int x, int y, int k) {
		int j = Math.floorDiv(x - LEFT, CELL), i = Math.floorDiv(y - TOP, CELL);
		return i >= 0 && j >= 0 && i < k && j < k ? Optional.of(new int[] { i, j }) : Optional.empty();
	}

	/** The items behind an off-diagonal cell (the diagonal's are not listed: they are right). */
	static List<org.labelloop.core.model.Target> items(Review.Quality q, int i, int j) {
		long given = q.classIds().get(i), predicted = q.classIds().get(j);
		return q.confused().stream().filter(c -> c.given() == given && c.predicted() == predicted).findFirst().map(Review.Confusion::items)
				.orElse(List.of());
	}

	private static String shorten(String s, int max) {
		if (s == null) return "?";
		return s.length() <= max ? s : s.substring(0, max - 1) + "…";
	}
}
