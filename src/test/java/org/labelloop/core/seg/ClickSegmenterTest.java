package org.labelloop.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Progress;
import org.labelloop.core.seg.ClickSegmenter.Click;

/**
 * Click-to-segment on the real coins image (scikit-image's coins.png). Ground truth, computed here independently:
 * a global Otsu threshold of the raw image, then 4-connected components; the coins are the large components.
 */
class ClickSegmenterTest {

	static FloatVolume coins;
	static int w, h;
	static int[] truth; // component label per pixel, 0 = background
	static List<int[]> coinCentres = new ArrayList<>(); // x, y, label, area

	@BeforeAll
	static void load() throws IOException {
		BufferedImage img = ImageIO.read(Path.of("test-data/microscopy/coins.png").toFile());
		w = img.getWidth();
		h = img.getHeight();
		float[] v = new float[w * h];
		int[] grey = new int[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) v[y * w + x] = grey[y * w + x] = img.getRaster().getSample(x, y, 0);
		coins = new FloatVolume(w, h, 1, v);
		int t = otsu(grey);
		boolean[] fg = new boolean[w * h];
		for (int i = 0; i < fg.length; i++) fg[i] = grey[i] >= t;
		truth = SegObjects.components(fg, w, h, 1);
		int n = 0;
		for (int l : truth) n = Math.max(n, l);
		long[] area = new long[n + 1], sx = new long[n + 1], sy = new long[n + 1];
		int[] x0 = new int[n + 1], x1 = new int[n + 1], y0 = new int[n + 1], y1 = new int[n + 1];
		java.util.Arrays.fill(x0, w);
		java.util.Arrays.fill(y0, h);
		for (int i = 0; i < truth.length; i++) {
			int l = truth[i], x = i % w, y = i / w;
			area[l]++;
			sx[l] += x;
			sy[l] += y;
			x0[l] = Math.min(x0[l], x);
			x1[l] = Math.max(x1[l], x);
			y0[l] = Math.min(y0[l], y);
			y1[l] = Math.max(y1[l], y);
		}
		for (int l = 1; l <= n; l++) {
			// a coin: large, clear of the image's edge (the bright top edge of the tray joins some), and round enough
			// (at least 60% of its bounding box)
			double fill = area[l] / ((x1[l] - x0[l] + 1.0) * (y1[l] - y0[l] + 1.0));
			if (area[l] < 800 || x0[l] == 0 || y0[l] == 0 || x1[l] == w - 1 || y1[l] == h - 1 || fill < 0.6) continue;
			int cx = (int) (sx[l] / area[l]), cy = (int) (sy[l] / area[l]);
			if (truth[cy * w + cx] == l) coinCentres.add(new int[] { cx, cy, l, (int) area[l] });
		}
		assertTrue(coinCentres.size() >= 8, "the coins image should hold at least 8 coins, Otsu found " + coinCentres.size());
	}

	private static int otsu(int[] grey) {
		long[] hist = new long[256];
		for (int g : grey) hist[g]++;
		double best = -1;
		int bestT = 0;
		for (int t = 1; t < 256; t++) {
			long n0 = 0, n1 = 0;
			double s0 = 0, s1 = 0;
			for (int i = 0; i < 256; i++) {
				if (i < t) { n0 += hist[i]; s0 += (double) i * hist[i]; }
				else { n1 += hist[i]; s1 += (double) i * hist[i]; }
			}
			if (n0 == 0 || n1 == 0) continue;
			double d = s0 / n0 - s1 / n1, between = (double) n0 * n1 * d * d;
			if (between > best) {
				best = between;
				bestT = t;
			}
		}
		return bestT;
	}

	private static Mask truthOf(int label) {
		return Mask.fromLabels(truth, w, h, 0, label);
	}

	@Test
	void clickingTheCentreOfEachCoinGivesThatCoinWithoutAModel() {
		for (int[] c : coinCentres) {
			ClickSegmenter.Result r = ClickSegmenter.fromIntensity(coins, List.of(Click.positive(c[0], c[1], 0)), ClickSegmenter.Options.standard());
			double iou = r.mask().iou(truthOf(c[2]));
			assertTrue(iou >= 0.8, "coin at (" + c[0] + ", " + c[1] + ") of " + c[3] + " px: IoU " + iou + ", " + r.message());
			assertTrue(r.mask().contains(c[0], c[1], 0));
		}
	}

	@Test
	void clickingTheCentreOfEachCoinGivesThatCoinWithAPixelClassifier() {
		// scribbles: a disc in every third coin, eight discs of background
		List<Mask> coin = new ArrayList<>(), background = new ArrayList<>();
		for (int k = 0; k < coinCentres.size(); k += 3) coin.add(Mask.disc(coinCentres.get(k)[0], coinCentres.get(k)[1], 5, 0));
		for (int[] p : backgroundSpots(8)) background.add(Mask.disc(p[0], p[1], 4, 0));
		PixelClassifier.Options o = new PixelClassifier.Options(new Features.Options(new double[] { 1, 2, 4, 8 }, true, false), 16, 10, 2000, 3);
		PixelClassifier.Model m = PixelClassifier.train(List.of(TrainingImage.ofScribbles(coins, List.of(background, coin))), List.of("background", "coin"), o,
				Progress.NONE);
		ProbabilityMap p = m.predict(coins, Progress.NONE);
		int good = 0;
		for (int[] c : coinCentres) {
			ClickSegmenter.Result r = ClickSegmenter.withModel(p, 1, List.of(Click.positive(c[0], c[1], 0)), ClickSegmenter.Options.standard());
			double iou = r.mask().iou(truthOf(c[2]));
			if (iou >= 0.8) good++;
		}
		// a few scribbles teach the forest most but not every coin: the darker ones may merge with the background
		assertTrue(good >= coinCentres.size() * 3 / 4, good + " of " + coinCentres.size() + " coins with IoU >= 0.8");
	}

	@Test
	void aNegativeClickRemoves() {
		int[] a = coinCentres.get(0), b = coinCentres.get(1);
		ClickSegmenter.Options o = ClickSegmenter.Options.standard();
		Mask both = ClickSegmenter.fromIntensity(coins, List.of(Click.positive(a[0], a[1], 0), Click.positive(b[0], b[1], 0)), o).mask();
		assertTrue(both.contains(a[0], a[1], 0) && both.contains(b[0], b[1], 0));
		assertTrue(both.iou(truthOf(a[2]).union(truthOf(b[2]))) >= 0.8);
		// shift-click on the second coin's positive click: that coin goes
		Mask onlyA = ClickSegmenter.fromIntensity(coins,
				List.of(Click.positive(a[0], a[1], 0), Click.positive(b[0], b[1], 0), Click.negative(b[0], b[1], 0)), o).mask();
		assertTrue(onlyA.iou(truthOf(a[2])) >= 0.8, "IoU with the first coin " + onlyA.iou(truthOf(a[2])));
		assertFalse(onlyA.contains(b[0], b[1], 0));
		assertEquals(0, onlyA.voxelCount() - onlyA.subtract(truthOf(b[2])).voxelCount(), "no pixel of the removed coin is left");
		// a negative click inside the same coin, off centre: the part nearest it goes, the clicked centre stays
		Mask whole = truthOf(a[2]);
		int[] edge = insideNear(a, whole);
		Mask cut = ClickSegmenter.fromIntensity(coins, List.of(Click.positive(a[0], a[1], 0), Click.negative(edge[0], edge[1], 0)), o).mask();
		assertTrue(cut.contains(a[0], a[1], 0));
		assertFalse(cut.contains(edge[0], edge[1], 0));
		Mask alone = ClickSegmenter.fromIntensity(coins, List.of(Click.positive(a[0], a[1], 0)), o).mask();
		assertTrue(cut.voxelCount() < alone.voxelCount(), cut.voxelCount() + " px with the negative click, " + alone.voxelCount() + " without");
		// a negative click on the background changes nothing
		int[] bg = backgroundSpots(1).get(0);
		assertEquals(alone, ClickSegmenter.fromIntensity(coins, List.of(Click.positive(a[0], a[1], 0), Click.negative(bg[0], bg[1], 0)), o).mask());
	}

	@Test
	void aClickOnTheBackgroundGivesNothingWithAReasonAndOneOutsideTheImageIsRefused() {
		int[] bg = backgroundSpots(1).get(0);
		float[][] flat = { new float[w * h], new float[w * h] };
		for (int i = 0; i < w * h; i++) {
			flat[0][i] = truth[i] == 0 ? 1 : 0;
			flat[1][i] = 1 - flat[0][i];
		}
		ProbabilityMap p = new ProbabilityMap(w, h, 1, List.of("background", "coin"), flat);
		ClickSegmenter.Result r = ClickSegmenter.withModel(p, 1, List.of(Click.positive(bg[0], bg[1], 0)), ClickSegmenter.Options.standard());
		assertTrue(r.isEmpty());
		assertTrue(r.message().contains("background"), r.message());
		int[] c = coinCentres.get(2);
		assertEquals(truthOf(c[2]), ClickSegmenter.withModel(p, 1, List.of(Click.positive(c[0], c[1], 0)), ClickSegmenter.Options.standard()).mask());

		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> ClickSegmenter.fromIntensity(coins, List.of(Click.positive(w + 3, 10, 0)), ClickSegmenter.Options.standard()));
		assertTrue(e.getMessage().contains("outside the image") && e.getMessage().contains(w + "x" + h), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> ClickSegmenter.withModel(p, 1, List.of(Click.positive(5, -1, 0)), ClickSegmenter.Options.standard()));
		assertThrows(IllegalArgumentException.class, () -> ClickSegmenter.withModel(p, 1, List.of(Click.positive(5, 5, 1)), ClickSegmenter.Options.standard()));
		assertThrows(IllegalArgumentException.class, () -> ClickSegmenter.withModel(p, 1, List.of(Click.negative(c[0], c[1], 0)), ClickSegmenter.Options.standard()));
		assertThrows(IllegalArgumentException.class, () -> ClickSegmenter.withModel(p, 1, List.of(), ClickSegmenter.Options.standard()));
	}

	/** Background pixels at least 12 px from any foreground pixel. */
	private static List<int[]> backgroundSpots(int n) {
		boolean[] fg = new boolean[w * h];
		for (int i = 0; i < fg.length; i++) fg[i] = truth[i] != 0;
		boolean[] bgMask = new boolean[fg.length];
		for (int i = 0; i < fg.length; i++) bgMask[i] = !fg[i];
		float[] d = SegObjects.distance(bgMask, w, h, 1);
		List<int[]> out = new ArrayList<>();
		for (int y = 20; y < h - 20 && out.size() < n; y += 37)
			for (int x = 20; x < w - 20 && out.size() < n; x += 41)
				if (d[y * w + x] >= 12) out.add(new int[] { x, y });
		assertEquals(n, out.size());
		return out;
	}

	/** A pixel of the coin about two thirds of the way from its centre to its right edge. */
	private static int[] insideNear(int[] c, Mask coin) {
		int x = c[0];
		while (coin.contains(x + 1, c[1], 0)) x++;
		return new int[] { c[0] + (x - c[0]) * 2 / 3, c[1] };
	}
}
