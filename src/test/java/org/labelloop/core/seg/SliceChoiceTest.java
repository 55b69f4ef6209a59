package org.labelloop.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labelloop.core.model.Progress;
import org.labelloop.imaging.FloatVolumes;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelVolumes;

/**
 * The trees' disagreement as a slice score and the diversity rule ({@link SliceChoice}), on the real MRI crop
 * (test-data/mri/ch2_crop.nii with AAL: every region one class) and cell.png.
 */
class SliceChoiceTest {

	static final Path MRI = Path.of("test-data/mri");
	static FloatVolume ch2;
	static int[][] aal;
	static PixelClassifier.Model model;

	@BeforeAll
	static void trainOnSliceZero() {
		ch2 = FloatVolumes.from(Images.open(MRI.resolve("ch2_crop.nii")));
		LabelVolumes.Volume lv = LabelVolumes.read(MRI.resolve("aal_crop.nii.gz"));
		aal = new int[ch2.depth()][];
		for (int z = 0; z < ch2.depth(); z++) {
			int[] v = lv.slice(z);
			for (int i = 0; i < v.length; i++) v[i] = v[i] != 0 ? 2 : 1;
			aal[z] = v;
		}
		model = PixelClassifier.train(List.of(new TrainingImage(slice(0), aal[0])), List.of("background", "brain"), PixelClassifier.Options.standard(),
				Progress.NONE);
	}

	static FloatVolume slice(int z) {
		return new FloatVolume(ch2.width(), ch2.height(), 1, ch2.slice(z));
	}

	@Test
	void theTreesDisagreeMoreOnASliceUnlikeTheLabelledOne() {
		PixelClassifier.Model.Prediction labelled = model.predictWithDisagreement(slice(0), Progress.NONE);
		assertArrayEquals(model.predict(slice(0), Progress.NONE).probabilities()[1], labelled.map().probabilities()[1], "the same probabilities as predict");
		double onLabelled = labelled.meanDisagreement(0);
		double onFar = model.predictWithDisagreement(slice(ch2.depth() - 1), Progress.NONE).meanDisagreement(0);
		FloatVolume cell = FloatVolumes.from(Images.open(Path.of("test-data/microscopy/cell.png")));
		double onCell = model.predictWithDisagreement(cell, Progress.NONE).meanDisagreement(0);
		assertTrue(onLabelled >= 0 && onCell <= 0.5, onLabelled + " " + onCell);
		assertTrue(onFar > 1.5 * onLabelled, "slice 7 " + onFar + " vs the labelled slice 0 " + onLabelled);
		assertTrue(onCell > 2 * onLabelled, "cell.png " + onCell + " vs the labelled slice " + onLabelled);
		// per voxel: 0 where every tree votes alike, and split votes only where the mean probability is not 0 or 1
		float[] d = labelled.disagreement(), p = labelled.map().probabilities()[1];
		int split = 0;
		for (int i = 0; i < d.length; i++) {
			if (p[i] == 0 || p[i] == 1) assertEquals(0f, d[i], 1e-6f, "voxel " + i);
			if (d[i] > 0) split++;
		}
		assertTrue(split > 0, "some trees disagree somewhere");
		// a quarter of the trees or more outvoted: on ~10% of the labelled slice's voxels, ~34% of slice 7's
		int far = quarter(model.predictWithDisagreement(slice(ch2.depth() - 1), Progress.NONE).disagreement());
		assertTrue(2 * quarter(d) < far, quarter(d) + " voxels on the labelled slice, " + far + " on slice 7");
		SliceChoice dis = SliceChoice.parse("disagreement", 0);
		assertEquals(onFar, dis.scores(model, slice(ch2.depth() - 1), Progress.NONE)[0], 1e-12);
		assertEquals(onLabelled, dis.score(labelled, 0), 1e-12);
		assertEquals(labelled.map().meanEntropy(0), SliceChoice.entropy().score(labelled, 0), 1e-12);
		double[] inVolume = dis.scores(model, new FloatVolume(ch2.width(), ch2.height(), 1, ch2.slice(3)), Progress.NONE);
		assertEquals(1, inVolume.length);
	}

	@Test
	void theDiverseChoiceNeverTakesASliceNearALabelledOneWhileAFartherOneIsLeft() {
		// real scores: the trained model's disagreement on every slice of the crop; slice 0 labelled
		SliceChoice plain = SliceChoice.parse("disagreement", 0), diverse = SliceChoice.parse("disagreement+diverse", 3);
		Map<Integer, Double> scores = new LinkedHashMap<>();
		for (int z = 1; z < ch2.depth(); z++) scores.put(z, plain.scores(model, slice(z), Progress.NONE)[0]);
		int best = plain.next(scores, List.of(0));
		assertEquals(scores.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey(), best, "no gap: the highest score");
		int next = diverse.next(scores, List.of(0));
		assertTrue(next > 3, "slice " + next + " is within 3 of the labelled slice 0");
		List<Integer> taken = new ArrayList<>(List.of(0, next));
		int third = diverse.next(scores, taken);
		for (int t : taken) assertTrue(Math.abs(third - t) > 3 || SliceChoice.distance(third, taken) == maxDistance(scores.keySet(), taken),
				"slice " + third + " near " + t + " although a farther one was left");

		// many random score maps: the rule holds whenever a slice beyond the gap is left
		Random r = new Random(7);
		for (int run = 0; run < 500; run++) {
			Map<Integer, Double> s = new LinkedHashMap<>();
			for (int z = 0; z < 40; z++) s.put(z, r.nextDouble());
			List<Integer> t = new ArrayList<>();
			for (int k = 0; k < 1 + r.nextInt(6); k++) t.add(r.nextInt(40));
			int gap = 1 + r.nextInt(5);
			int z = new SliceChoice(SliceChoice.Score.ENTROPY, gap).next(s, t);
			assertTrue(!t.contains(z), "a taken slice " + z);
			boolean farLeft = s.keySet().stream().anyMatch(q -> !t.contains(q) && SliceChoice.distance(q, t) > gap);
			if (farLeft) {
				assertTrue(SliceChoice.distance(z, t) > gap, "slice " + z + " within " + gap + " of " + t);
				double top = s.entrySet().stream().filter(e -> !t.contains(e.getKey()) && SliceChoice.distance(e.getKey(), t) > gap)
						.mapToDouble(Map.Entry::getValue).max().getAsDouble();
				assertEquals(top, s.get(z), "the best of the far slices");
			} else assertEquals(maxDistance(s.keySet(), t), SliceChoice.distance(z, t), "none far enough: the farthest");
		}
	}

	static int quarter(float[] d) {
		int n = 0;
		for (float f : d) if (f >= 0.25f) n++;
		return n;
	}

	static int maxDistance(Set<Integer> candidates, List<Integer> taken) {
		return candidates.stream().filter(q -> !taken.contains(q)).mapToInt(q -> SliceChoice.distance(q, taken)).max().getAsInt();
	}

	@Test
	void namesAndErrors() {
		assertEquals(new SliceChoice(SliceChoice.Score.ENTROPY, 0), SliceChoice.parse("entropy", 5));
		assertEquals(new SliceChoice(SliceChoice.Score.DISAGREEMENT, 5), SliceChoice.parse(" Disagreement+diverse", 5));
		assertEquals("entropy+diverse", SliceChoice.parse("entropy+diverse", 2).name());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> SliceChoice.parse("margin", 2)).getMessage().contains("Unknown slice strategy 'margin'"));
		assertThrows(IllegalArgumentException.class, () -> SliceChoice.parse("entropy+diverse", 0));
		assertThrows(IllegalArgumentException.class, () -> SliceChoice.entropy().next(Map.of(1, 0.5), List.of(1)));
	}
}
