package org.labelloop.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.labelloop.bench.AlBenchmark.Report;
import org.labelloop.bench.AlBenchmark.StrategyResult;

/**
 * Draws the learning curves of {@code bench al} as a PNG with Java2D (works headless): mean test accuracy per
 * strategy against labels, a band of ±1 standard deviation over seeds, and the full-label accuracy with its 95% and
 * 98% levels.
 */
public final class CurvePlot {
	private static final Color[] COLORS = { Color.BLACK, new Color(0xe6194b), new Color(0x3cb44b), new Color(0x4363d8),
			new Color(0xf58231), new Color(0x911eb4), new Color(0x46a0a0), new Color(0xf032e6), new Color(0x9a6324) };
	private static final int W = 1000, H = 640, L = 80, R = 250, T = 50, B = 60;

	private CurvePlot() {
	}

	public static void write(Report r, Path png) throws IOException {
		BufferedImage im = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = im.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, W, H);
		double xmax = 0, ymin = 1, ymax = r.fullAccuracy();
		for (StrategyResult s : r.results()) {
			xmax = Math.max(xmax, s.labels()[s.labels().length - 1]);
			for (int i = 0; i < s.mean().length; i++) {
				ymin = Math.min(ymin, s.mean()[i] - s.sd()[i]);
				ymax = Math.max(ymax, s.mean()[i] + s.sd()[i]);
			}
		}
		ymin = Math.max(0, Math.floor(ymin * 50) / 50);
		ymax = Math.min(1, Math.ceil(ymax * 50) / 50 + 0.005);
		Axis ax = new Axis(xmax, ymin, ymax);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		FontMetrics fm = g.getFontMetrics();
		// grid and ticks
		double ystep = niceStep(ymax - ymin, 8), xstep = niceStep(xmax, 10);
		for (double y = Math.ceil(ymin / ystep) * ystep; y <= ymax + 1e-9; y += ystep) {
			g.setColor(new Color(235, 235, 235));
			g.drawLine(L, ax.y(y), W - R, ax.y(y));
			g.setColor(Color.DARK_GRAY);
			String s = String.format(Locale.ROOT, "%.2f", y);
			g.drawString(s, L - 8 - fm.stringWidth(s), ax.y(y) + 4);
		}
		for (double x = 0; x <= xmax + 1e-9; x += xstep) {
			g.setColor(new Color(235, 235, 235));
			g.drawLine(ax.x(x), T, ax.x(x), H - B);
			g.setColor(Color.DARK_GRAY);
			String s = String.format(Locale.ROOT, "%,d", (long) x);
			g.drawString(s, ax.x(x) - fm.stringWidth(s) / 2, H - B + 18);
		}
		g.setColor(Color.BLACK);
		g.drawRect(L, T, W - L - R, H - T - B);
		g.drawString("labels", L + (W - L - R) / 2 - 20, H - 18);
		Graphics2D gr = (Graphics2D) g.create();
		gr.rotate(-Math.PI / 2);
		gr.drawString("test accuracy (mean ± sd over seeds)", -(T + (H - T - B) / 2) - 110, 22);
		gr.dispose();
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
		g.drawString(String.format(Locale.ROOT, "Active learning on %s: %s + %s, batch %d, %d seeds", r.dataset(), r.embedder(), r.classifier(),
				r.config().batch(), r.config().seeds()), L, 30);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		// full, 98%, 95%
		Stroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 6, 4 }, 0);
		double[] levels = { 1, 0.98, 0.95 };
		String[] names = { "full", "98% of full", "95% of full" };
		for (int i = 0; i < 3; i++) {
			double y = levels[i] * r.fullAccuracy();
			if (y < ymin) continue;
			g.setColor(Color.GRAY);
			g.setStroke(i == 0 ? new BasicStroke(1.2f) : dashed);
			g.drawLine(L, ax.y(y), W - R, ax.y(y));
			g.drawString(names[i], W - R - 4 - g.getFontMetrics().stringWidth(names[i]), ax.y(y) - 3);
		}
		// bands then lines
		for (int k = 0; k < r.results().size(); k++) {
			StrategyResult s = r.results().get(k);
			Color c = COLORS[k % COLORS.length];
			Polygon band = new Polygon();
			for (int i = 0; i < s.labels().length; i++) band.addPoint(ax.x(s.labels()[i]), ax.y(s.mean()[i] + s.sd()[i]));
			for (int i = s.labels().length - 1; i >= 0; i--) band.addPoint(ax.x(s.labels()[i]), ax.y(s.mean()[i] - s.sd()[i]));
			g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 40));
			g.fillPolygon(band);
		}
		for (int k = 0; k < r.results().size(); k++) {
			StrategyResult s = r.results().get(k);
			Color c = COLORS[k % COLORS.length];
			Path2D line = new Path2D.Double();
			for (int i = 0; i < s.labels().length; i++) {
				if (i == 0) line.moveTo(ax.x(s.labels()[i]), ax.y(s.mean()[i]));
				else line.lineTo(ax.x(s.labels()[i]), ax.y(s.mean()[i]));
			}
			g.setColor(c);
			g.setStroke(new BasicStroke(s.strategy().equals("random") ? 2.5f : 2f));
			g.draw(line);
			// legend
			int ly = T + 20 + k * 38;
			g.drawLine(W - R + 15, ly - 4, W - R + 40, ly - 4);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
			g.drawString(s.strategy(), W - R + 48, ly);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			g.drawString("to 95%: " + lab(s.labelsTo95(), r.config().budget()) + ", to 98%: " + lab(s.labelsTo98(), r.config().budget()),
					W - R + 48, ly + 15);
		}
		g.dispose();
		if (png.toAbsolutePath().getParent() != null) Files.createDirectories(png.toAbsolutePath().getParent());
		ImageIO.write(im, "png", png.toFile());
	}

	private static String lab(Integer n, int budget) {
		return n == null ? String.format(Locale.ROOT, ">%,d", budget) : String.format(Locale.ROOT, "%,d", n);
	}

	/** 1, 2 or 5 times a power of ten, giving about {@code ticks} steps over {@code range}. */
	static double niceStep(double range, int ticks) {
		double raw = range / ticks, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
		return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
	}

	private record Axis(double xmax, double ymin, double ymax) {
		int x(double v) {
			return L + (int) Math.round(v / xmax * (W - L - R));
		}

		int y(double v) {
			return H - B - (int) Math.round((v - ymin) / (ymax - ymin) * (H - T - B));
		}
	}
}
