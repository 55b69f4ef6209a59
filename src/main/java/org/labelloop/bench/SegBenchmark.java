package org.labelloop.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.labelloop.core.model.Progress;
import org.labelloop.core.seg.ClickSegmenter;
import org.labelloop.core.seg.FloatVolume;
import org.labelloop.core.seg.PixelClassifier;
import org.labelloop.core.seg.ProbabilityMap;
import org.labelloop.core.seg.SegObject;
import org.labelloop.core.seg.SegObjects;
import org.labelloop.core.seg.SliceChoice;
import org.labelloop.core.seg.TrainingImage;
import org.labelloop.imaging.FloatVolumes;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelVolumes;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The built-in pixel classifier ({@link PixelClassifier}) on a real labelled volume, slice by slice (2D features):
 * <ul>
 * <li><b>Learning curve.</b> The slices with labels (at least 1% of their pixels in a chosen class) are split
 * alternately into a pool to label from and evaluation slices that are never labelled. Starting from the pool's
 * middle slice, each step trains on the labelled slices (every pixel labelled: the label map's classes, the rest
 * background), measures Dice on the evaluation slices, and labels one more slice: active learning takes the pool
 * slice best by each of the strategies compared ({@link SliceChoice}: mean pixel entropy, the trees' disagreement, each
 * with or without the diversity rule); random takes one at random (several seeds, averaged).
 * {@code efficiency_vs_random} = random's labelled slices ÷ active learning's to reach the same Dice (the lower of the
 * two final Dice values; linear interpolation between steps), for the first strategy; each strategy has its own
 * ({@code efficiency_vs_random_<strategy>}), also against each random seed alone (mean and spread).</li>
 * <li><b>Speed.</b> {@code predict_512_s}: a 512×512 image (the click image, bilinearly resized; the model trained on
 * its own Otsu threshold). {@code predict_volume_s}: the labelled volume resampled (trilinear; labels nearest) to
 * 256×256×100, 3D features, a model trained on a 12-slice slab of it. {@code train_10_s}: a 2D model trained on 10
 * slices of that resampled volume. {@code click_p95_ms}: {@link ClickSegmenter#withModel} on the 512×512 map, a click
 * at each object's centre, in turn.</li>
 * </ul>
 */
public final class SegBenchmark {

	/**
	 * @param image       grey image volume (NIfTI or TIFF)
	 * @param labels      label map of the same geometry
	 * @param classes     label values that are classes (each its own); empty: every non-zero value is one class
	 * @param budget      labelled slices at the end of the curve
	 * @param seeds       random runs
	 * @param poolMax     pool slices at most (evenly spaced)
	 * @param evalMax     evaluation slices at most (evenly spaced)
	 * @param trees       trees of the forest (the standard options otherwise)
	 * @param clickImage  2D grey image for the 512×512 prediction and the clicks
	 * @param predictSize side of the resized click image (512)
	 * @param volume      size of the resampled volume {w, h, d} (256, 256, 100)
	 * @param clicks      timed clicks
	 * @param seed        seeds the random choices
	 * @param strategies  active-learning strategies compared; the first is the one of {@code dice_al},
	 *                    {@code al_choices} and {@code efficiency_vs_random}
	 * @param axis        the axis slices are cut across: {@code z} (the volume's own slices), {@code y} or {@code x}
	 */
	public record Config(Path image, Path labels, List<Integer> classes, int budget, int seeds, int poolMax, int evalMax, int trees, Path clickImage,
			int predictSize, int[] volume, int clicks, long seed, Path clickEncoder, Path clickDecoder, List<SliceChoice> strategies, char axis) {
		public Config {
			if (axis != 'x' && axis != 'y' && axis != 'z') throw new IllegalArgumentException("The slicing axis is x, y or z, not " + axis);
			classes = List.copyOf(classes);
			strategies = List.copyOf(strategies);
			if (strategies.isEmpty()) throw new IllegalArgumentException("Need at least one strategy");
			if (budget < 2 || seeds < 1 || poolMax < 2 || evalMax < 1 || trees < 1 || predictSize < 16 || clicks < 1 || volume == null || volume.length != 3
					|| volume[0] < 16 || volume[1] < 16 || volume[2] < 2)
				throw new IllegalArgumentException("Need budget >= 2, seeds >= 1, pool >= 2, eval >= 1, trees >= 1, predict size >= 16, clicks >= 1, a volume of at least 16x16x2");
		}
	}

	public record Report(String benchmark, Map<String, Object> machine, Map<String, Object> data, Map<String, Object> config, List<Integer> labelledSlices,
			List<Double> diceAl, List<Double> diceRandom, List<List<Double>> diceRandomPerSeed, List<Integer> alChoices, double efficiencyVsRandom,
			double efficiencyTargetDice, double diceFinal, double diceFinalRandom, @JsonProperty("predict_512_s") double predict512S, double predictVolumeS, String volumeSize,
			@JsonProperty("train_10_s") double train10S, double clickP50Ms, double clickP95Ms, double clickIntensityP95Ms, int clickObjects,
			String clickModel, Double clickModelEncodeMs, Double clickModelDecoderP50Ms, Double clickModelDecoderP95Ms, double curveS,
			Map<String, Object> goals, Map<String, Boolean> goalsMet, String strategy, double diceMeanRandom, double diceMeanRandomSd,
			Map<String, StrategyResult> strategies) {

		/** {@code efficiency_vs_random_<strategy>} for each strategy ({@link StrategyResult#key}). */
		@JsonAnyGetter
		public Map<String, Object> perStrategy() {
			Map<String, Object> m = new LinkedHashMap<>();
			for (StrategyResult s : strategies.values()) m.put("efficiency_vs_random_" + s.key(), s.efficiencyVsRandom());
			return m;
		}
	}

	/**
	 * One strategy's learning curve.
	 *
	 * @param key                   the name as a field suffix ({@code entropy+diverse} → {@code entropy_diverse})
	 * @param efficiencyVsRandom    against the mean random curve
	 * @param efficiencyPerSeed     against each random seed's curve alone (at the lower of the two final Dice values)
	 * @param diceMean              Dice averaged over the curve (its area ÷ budget)
	 */
	public record StrategyResult(String key, List<Double> dice, List<Integer> choices, double efficiencyVsRandom, List<Double> efficiencyPerSeed,
			double efficiencyPerSeedMean, double efficiencyPerSeedSd, double diceMean) {
	}

	private SegBenchmark() {
	}

	/** A labelled volume: the image and per-slice class maps (0 background, 1.. classes). */
	record Labelled(FloatVolume image, int[][] truth, int classes) {
		FloatVolume slice(int z) {
			return new FloatVolume(image.width(), image.height(), 1, image.slice(z));
		}

		TrainingImage training(int z) {
			int[] l = new int[truth[z].length];
			for (int i = 0; i < l.length; i++) l[i] = truth[z][i] + 1;
			return new TrainingImage(slice(z), l);
		}
	}

	public static Report run(Config c, PrintWriter log) {
		long start = System.nanoTime();
		say(log, "reading " + c.image() + " and " + c.labels());
		Labelled data = load(c);
		List<String> names = new ArrayList<>();
		names.add("background");
		if (c.classes().isEmpty()) names.add("labelled");
		else for (int v : c.classes()) names.add("label " + v);
		PixelClassifier.Options po = PixelClassifier.Options.standard();
		po = new PixelClassifier.Options(po.features(), c.trees(), po.maxDepth(), po.maxPerClass(), po.seed());

		// ---- learning curve
		int w = data.image().width(), h = data.image().height(), plane = w * h;
		List<Integer> withLabels = new ArrayList<>();
		for (int z = 0; z < data.image().depth(); z++) {
			int n = 0;
			for (int v : data.truth()[z]) if (v > 0) n++;
			if (n >= 0.01 * plane) withLabels.add(z);
		}
		List<Integer> pool = new ArrayList<>(), eval = new ArrayList<>();
		for (int k = 0; k < withLabels.size(); k++) (k % 2 == 0 ? pool : eval).add(withLabels.get(k));
		pool = spread(pool, c.poolMax());
		eval = spread(eval, c.evalMax());
		if (pool.size() < 2 || eval.isEmpty())
			throw new IllegalArgumentException("Only " + withLabels.size() + " slices have labels (1% of their pixels or more): need at least 3");
		int budget = Math.min(c.budget(), pool.size());
		say(log, "curve: " + pool.size() + " pool slices, " + eval.size() + " evaluation slices, up to " + budget + " labelled, " + c.seeds() + " random seeds, strategies "
				+ c.strategies().stream().map(SliceChoice::name).toList());
		long t0 = System.nanoTime();
		int first = pool.get(pool.size() / 2);
		List<List<Double>> rnd = new ArrayList<>();
		for (int s = 0; s < c.seeds(); s++)
			rnd.add(curve(data, names, po, pool, eval, first, budget, null, new Random(c.seed() + s), new ArrayList<>(), log, "random " + (s + 1)));
		List<Double> rndMean = new ArrayList<>();
		for (int k = 0; k < budget; k++) {
			double m = 0;
			for (List<Double> r : rnd) m += r.get(k);
			rndMean.add(round(m / rnd.size()));
		}
		double[] rndAreas = rnd.stream().mapToDouble(SegBenchmark::mean).toArray();
		Map<String, StrategyResult> results = new LinkedHashMap<>();
		for (SliceChoice sc : c.strategies()) {
			List<Integer> chosen = new ArrayList<>();
			List<Double> d = curve(data, names, po, pool, eval, first, budget, sc, null, chosen, log, sc.name());
			results.put(sc.name(), result(sc, d, chosen, rndMean, rnd));
			say(log, sc.name() + ": efficiency_vs_random " + results.get(sc.name()).efficiencyVsRandom());
		}
		double curveS = (System.nanoTime() - t0) / 1e9;
		StrategyResult main = results.get(c.strategies().get(0).name());
		List<Double> al = main.dice();
		List<Integer> alChoices = main.choices();
		double target = Math.min(al.get(budget - 1), rndMean.get(budget - 1));
		double efficiency = main.efficiencyVsRandom();
		List<Integer> counts = new ArrayList<>();
		for (int k = 1; k <= budget; k++) counts.add(k);

		// ---- speed
		say(log, "resampling the volume to " + c.volume()[0] + "x" + c.volume()[1] + "x" + c.volume()[2]);
		Labelled big = resample(data, c.volume()[0], c.volume()[1], c.volume()[2]);
		double train10 = timeTrain10(big, names, po);
		say(log, "train_10_s " + round(train10));
		double predictVolume = timePredictVolume(big, names, po, log);
		say(log, "predict_volume_s " + round(predictVolume));
		FloatVolume img512 = resize2d(FloatVolumes.from(Images.open(c.clickImage())), c.predictSize(), c.predictSize());
		PixelClassifier.Model m512 = PixelClassifier.train(List.of(otsuLabels(img512)), List.of("background", "object"), po, Progress.NONE);
		m512.predict(img512, Progress.NONE); // warm-up
		double[] p = new double[3];
		ProbabilityMap map = null;
		for (int k = 0; k < p.length; k++) {
			long a = System.nanoTime();
			map = m512.predict(img512, Progress.NONE);
			p[k] = (System.nanoTime() - a) / 1e9;
		}
		Arrays.sort(p);
		double predict512 = p[1];
		say(log, "predict_512_s " + round(predict512));
		List<SegObject> objects = SegObjects.from(map, SegObjects.Options.standard().withSplit(false));
		List<int[]> centres = new ArrayList<>();
		for (SegObject o : objects) {
			int[] ctr = centre(o);
			if (ctr != null) centres.add(ctr);
		}
		if (centres.isEmpty()) throw new IllegalStateException("The model found no object in " + c.clickImage() + " to click on");
		double[] ms = new double[c.clicks()], msI = new double[c.clicks()];
		ClickSegmenter.Options co = ClickSegmenter.Options.standard();
		for (int k = 0; k < c.clicks(); k++) {
			int[] q = centres.get(k % centres.size());
			List<ClickSegmenter.Click> one = List.of(ClickSegmenter.Click.positive(q[0], q[1], 0));
			long a = System.nanoTime();
			ClickSegmenter.withModel(map, 1, one, co);
			long b = System.nanoTime();
			ClickSegmenter.fromIntensity(img512, one, co);
			long e = System.nanoTime();
			ms[k] = (b - a) / 1e6;
			msI[k] = (e - b) / 1e6;
		}
		// the promptable click model, when given: the first click encodes the slice, every click after runs the decoder only
		String clickModel = null;
		Double encodeMs = null, decoderP50 = null, decoderP95 = null;
		if (c.clickEncoder() != null) {
			try (org.labelloop.core.learn.djl.SamPrompter sam = org.labelloop.core.learn.djl.SamPrompter.open(c.clickEncoder(), c.clickDecoder())) {
				org.labelloop.core.learn.FloatImage slice = org.labelloop.core.learn.FloatImage.gray(img512.width(), img512.height(), img512.slice(0));
				int[] q0 = centres.get(0);
				long a = System.nanoTime();
				sam.segment("bench", slice, List.of(new org.labelloop.core.learn.djl.SamPrompter.Point(q0[0], q0[1], true)));
				encodeMs = round((System.nanoTime() - a) / 1e6);
				double[] dm = new double[c.clicks()];
				for (int k = 0; k < c.clicks(); k++) {
					int[] q = centres.get(k % centres.size());
					long b = System.nanoTime();
					sam.segment("bench", slice, List.of(new org.labelloop.core.learn.djl.SamPrompter.Point(q[0], q[1], true)));
					dm[k] = (System.nanoTime() - b) / 1e6;
				}
				decoderP50 = MaskBenchmark.Timing.of(dm).p50Ms();
				decoderP95 = MaskBenchmark.Timing.of(dm).p95Ms();
				clickModel = c.clickEncoder().getFileName() + " + " + c.clickDecoder().getFileName() + " (encoder input " + sam.side() + ")";
			}
			say(log, "click model: encode " + encodeMs + " ms, decoder p95 " + decoderP95 + " ms");
		}

		Map<String, Object> dataInfo = new LinkedHashMap<>();
		dataInfo.put("image", c.image().toString());
		dataInfo.put("labels", c.labels().toString());
		dataInfo.put("size", data.image().size());
		dataInfo.put("slicing_axis", String.valueOf(c.axis()));
		dataInfo.put("classes", names);
		dataInfo.put("label_values", c.classes().isEmpty() ? "every non-zero value" : c.classes());
		dataInfo.put("pool_slices", pool);
		dataInfo.put("eval_slices", eval);
		dataInfo.put("volume_for_speed", data.image().size() + " resampled trilinearly to " + big.image().size() + " (labels: nearest)");
		dataInfo.put("click_image", c.clickImage() + " resized bilinearly to " + c.predictSize() + "x" + c.predictSize() + ", labels for training: its Otsu threshold");
		Map<String, Object> cfg = new LinkedHashMap<>();
		cfg.put("budget", budget);
		cfg.put("seeds", c.seeds());
		cfg.put("trees", c.trees());
		cfg.put("max_depth", po.maxDepth());
		cfg.put("max_per_class", po.maxPerClass());
		cfg.put("sigmas", po.features().sigmas());
		cfg.put("first_slice", first);
		cfg.put("clicks", c.clicks());
		cfg.put("seed", c.seed());
		cfg.put("strategies", c.strategies().stream().map(SliceChoice::name).toList());
		cfg.put("diversity_gap_slices", c.strategies().stream().mapToInt(SliceChoice::gap).max().orElse(0));
		Map<String, Object> goals = new LinkedHashMap<>();
		goals.put("predict_512_s", "<= 0.5");
		goals.put("predict_volume_s", "<= 20");
		goals.put("train_10_s", "<= 10");
		goals.put("click_p95_ms", "<= 150");
		goals.put("efficiency_vs_random", ">= 1.5");
		double clickP95 = MaskBenchmark.Timing.of(ms).p95Ms();
		Map<String, Boolean> met = new LinkedHashMap<>();
		met.put("predict_512_s", predict512 <= 0.5);
		met.put("predict_volume_s", predictVolume <= 20);
		met.put("train_10_s", train10 <= 10);
		met.put("click_p95_ms", clickP95 <= 150);
		met.put("efficiency_vs_random", efficiency >= 1.5);
		say(log, "done in " + round((System.nanoTime() - start) / 1e9) + " s");
		return new Report("seg", Machine.describe(), dataInfo, cfg, counts, al, rndMean, rnd, alChoices, efficiency, round(target), al.get(budget - 1),
				rndMean.get(budget - 1), round(predict512), round(predictVolume), big.image().size(), round(train10), MaskBenchmark.Timing.of(ms).p50Ms(), clickP95,
				MaskBenchmark.Timing.of(msI).p95Ms(), centres.size(), clickModel, encodeMs, decoderP50, decoderP95, round(curveS), goals, met,
				c.strategies().get(0).name(), round(mean(rndAreas)), round(sd(rndAreas)), results);
	}

	private static StrategyResult result(SliceChoice sc, List<Double> dice, List<Integer> chosen, List<Double> rndMean, List<List<Double>> rnd) {
		int last = dice.size() - 1;
		double target = Math.min(dice.get(last), rndMean.get(last));
		double vsMean = round(reach(rndMean, target) / reach(dice, target));
		double[] perSeed = new double[rnd.size()];
		for (int s = 0; s < perSeed.length; s++) {
			double t = Math.min(dice.get(last), rnd.get(s).get(last));
			perSeed[s] = round(reach(rnd.get(s), t) / reach(dice, t));
		}
		return new StrategyResult(sc.name().replace('+', '_'), dice, chosen, vsMean, Arrays.stream(perSeed).boxed().toList(), round(mean(perSeed)),
				round(sd(perSeed)), round(mean(dice.stream().mapToDouble(Double::doubleValue).toArray())));
	}

	private static double mean(List<Double> v) {
		return mean(v.stream().mapToDouble(Double::doubleValue).toArray());
	}

	private static double mean(double[] v) {
		return Arrays.stream(v).average().orElse(Double.NaN);
	}

	/** Sample standard deviation (0 for one value). */
	private static double sd(double[] v) {
		if (v.length < 2) return 0;
		double m = mean(v), s = 0;
		for (double x : v) s += (x - m) * (x - m);
		return Math.sqrt(s / (v.length - 1));
	}

	/** Dice after each of {@code budget} labelled slices; the next slice by {@code choice}, or at random when it is null. */
	static List<Double> curve(Labelled data, List<String> names, PixelClassifier.Options po, List<Integer> pool, List<Integer> eval, int first, int budget,
			SliceChoice choice, Random rnd, List<Integer> chosen, PrintWriter log, String what) {
		List<Integer> labelled = new ArrayList<>(List.of(first));
		List<Double> dice = new ArrayList<>();
		while (true) {
			List<TrainingImage> train = labelled.stream().map(data::training).toList();
			PixelClassifier.Model m = PixelClassifier.train(train, names, po, Progress.NONE);
			long[] inter = new long[names.size()], sum = new long[names.size()];
			for (int z : eval) {
				int[] a = m.predict(data.slice(z), Progress.NONE).argmax();
				int[] t = data.truth()[z];
				for (int i = 0; i < a.length; i++) {
					sum[a[i]]++;
					sum[t[i]]++;
					if (a[i] == t[i]) inter[a[i]]++;
				}
			}
			double d = 0;
			for (int k = 1; k < names.size(); k++) d += sum[k] == 0 ? 1 : 2.0 * inter[k] / sum[k];
			dice.add(round(d / (names.size() - 1)));
			say(log, what + ": " + labelled.size() + " slices, Dice " + dice.get(dice.size() - 1));
			if (labelled.size() >= budget) break;
			List<Integer> left = pool.stream().filter(z -> !labelled.contains(z)).toList();
			int next;
			if (choice == null) next = left.get(rnd.nextInt(left.size()));
			else {
				Map<Integer, Double> scores = new LinkedHashMap<>();
				for (int z : left) scores.put(z, choice.scores(m, data.slice(z), Progress.NONE)[0]);
				next = choice.next(scores, labelled);
			}
			labelled.add(next);
			chosen.add(next);
		}
		return dice;
	}

	/** Labelled slices needed to reach {@code target} on a curve (1-based counts; linear between steps). */
	static double reach(List<Double> curve, double target) {
		if (curve.get(0) >= target) return 1;
		for (int k = 1; k < curve.size(); k++)
			if (curve.get(k) >= target) {
				double a = curve.get(k - 1), b = curve.get(k);
				return k + (b > a ? (target - a) / (b - a) : 1);
			}
		return curve.size();
	}

	static Labelled load(Config c) {
		FloatVolume image = FloatVolumes.from(Images.open(c.image()));
		LabelVolumes.Volume lv = LabelVolumes.read(c.labels());
		if (lv.width() != image.width() || lv.height() != image.height() || lv.depth() != image.depth())
			throw new IllegalArgumentException("The labels (" + lv.size() + ") and the image (" + image.size() + ") differ in size");
		int[][] truth = new int[image.depth()][];
		for (int z = 0; z < image.depth(); z++) {
			int[] v = lv.slice(z);
			for (int i = 0; i < v.length; i++) {
				if (c.classes().isEmpty()) v[i] = v[i] != 0 ? 1 : 0;
				else v[i] = c.classes().indexOf(v[i]) + 1;
			}
			truth[z] = v;
		}
		Labelled l = new Labelled(image, truth, c.classes().isEmpty() ? 1 : c.classes().size());
		return c.axis() == 'z' ? l : across(l, c.axis());
	}

	/** The volume cut across x (slices of y × z) or y (slices of x × z) instead of z. */
	static Labelled across(Labelled in, char axis) {
		FloatVolume v = in.image();
		int W = v.width(), H = v.height(), D = v.depth();
		int w = axis == 'x' ? H : W, d = axis == 'x' ? W : H;
		float[] out = new float[w * D * d];
		int[][] truth = new int[d][w * D];
		for (int s = 0; s < d; s++)
			for (int z = 0; z < D; z++)
				for (int u = 0; u < w; u++) {
					int x = axis == 'x' ? s : u, y = axis == 'x' ? u : s;
					out[(s * D + z) * w + u] = v.get(x, y, z);
					truth[s][z * w + u] = in.truth()[z][y * W + x];
				}
		return new Labelled(new FloatVolume(w, D, d, out), truth, in.classes());
	}

	private static double timeTrain10(Labelled big, List<String> names, PixelClassifier.Options po) {
		List<TrainingImage> ten = new ArrayList<>();
		int d = big.image().depth();
		for (int k = 0; k < 10; k++) ten.add(big.training((int) ((k + 0.5) * d / 10)));
		long a = System.nanoTime();
		PixelClassifier.train(ten, names, po, Progress.NONE);
		return (System.nanoTime() - a) / 1e9;
	}

	private static double timePredictVolume(Labelled big, List<String> names, PixelClassifier.Options po, PrintWriter log) {
		FloatVolume v = big.image();
		int w = v.width(), h = v.height(), plane = w * h, slab = Math.min(12, v.depth()), z0 = (v.depth() - slab) / 2;
		float[] d = Arrays.copyOfRange(v.data(), z0 * plane, (z0 + slab) * plane);
		int[] l = new int[d.length];
		for (int z = 0; z < slab; z++)
			for (int i = 0; i < plane; i++) l[z * plane + i] = big.truth()[z0 + z][i] + 1;
		say(log, "training a 3D model on a " + w + "x" + h + "x" + slab + " slab");
		PixelClassifier.Model m = PixelClassifier.train(List.of(new TrainingImage(new FloatVolume(w, h, slab, d), l)), names, po, Progress.NONE);
		say(log, "predicting " + v.size() + " in 3D");
		long a = System.nanoTime();
		m.predict(v, Progress.NONE);
		return (System.nanoTime() - a) / 1e9;
	}

	/** Trilinear resampling of the image, nearest of the labels. */
	static Labelled resample(Labelled in, int w, int h, int d) {
		FloatVolume v = in.image();
		int W = v.width(), H = v.height(), D = v.depth();
		float[] out = new float[w * h * d];
		int[][] truth = new int[d][w * h];
		for (int z = 0; z < d; z++) {
			double fz = Math.max(0, Math.min(D - 1, (z + 0.5) * D / d - 0.5));
			int z0 = (int) fz, z1 = Math.min(D - 1, z0 + 1), zn = Math.min(D - 1, (int) ((z + 0.5) * D / d));
			double tz = fz - z0;
			for (int y = 0; y < h; y++) {
				double fy = Math.max(0, Math.min(H - 1, (y + 0.5) * H / h - 0.5));
				int y0 = (int) fy, y1 = Math.min(H - 1, y0 + 1), yn = Math.min(H - 1, (int) ((y + 0.5) * H / h));
				double ty = fy - y0;
				for (int x = 0; x < w; x++) {
					double fx = Math.max(0, Math.min(W - 1, (x + 0.5) * W / w - 0.5));
					int x0 = (int) fx, x1 = Math.min(W - 1, x0 + 1), xn = Math.min(W - 1, (int) ((x + 0.5) * W / w));
					double tx = fx - x0;
					double c00 = lerp(v.get(x0, y0, z0), v.get(x1, y0, z0), tx), c10 = lerp(v.get(x0, y1, z0), v.get(x1, y1, z0), tx);
					double c01 = lerp(v.get(x0, y0, z1), v.get(x1, y0, z1), tx), c11 = lerp(v.get(x0, y1, z1), v.get(x1, y1, z1), tx);
					out[(z * h + y) * w + x] = (float) lerp(lerp(c00, c10, ty), lerp(c01, c11, ty), tz);
					truth[z][y * w + x] = in.truth()[zn][yn * W + xn];
				}
			}
		}
		return new Labelled(new FloatVolume(w, h, d, out), truth, in.classes());
	}

	static FloatVolume resize2d(FloatVolume v, int w, int h) {
		return resample(new Labelled(v, new int[][] { new int[v.width() * v.height()] }, 1), w, h, 1).image();
	}

	private static double lerp(double a, double b, double t) {
		return a + (b - a) * t;
	}

	/** Every pixel labelled by the image's global Otsu threshold: 1 below (background), 2 at or above. */
	static TrainingImage otsuLabels(FloatVolume img) {
		float[] d = img.data();
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (float f : d) {
			lo = Math.min(lo, f);
			hi = Math.max(hi, f);
		}
		long[] hist = new long[256];
		double scale = hi > lo ? 255 / (double) (hi - lo) : 0;
		for (float f : d) hist[(int) ((f - lo) * scale)]++;
		double best = -1;
		int bt = 128;
		for (int t = 1; t < 256; t++) {
			long n0 = 0, n1 = 0;
			double s0 = 0, s1 = 0;
			for (int i = 0; i < 256; i++)
				if (i < t) { n0 += hist[i]; s0 += (double) i * hist[i]; }
				else { n1 += hist[i]; s1 += (double) i * hist[i]; }
			if (n0 == 0 || n1 == 0) continue;
			double m = s0 / n0 - s1 / n1, between = (double) n0 * n1 * m * m;
			if (between > best) {
				best = between;
				bt = t;
			}
		}
		int[] l = new int[d.length];
		for (int i = 0; i < d.length; i++) l[i] = (int) ((d[i] - lo) * scale) >= bt ? 2 : 1;
		return new TrainingImage(img, l);
	}

	/** The object's pixel nearest its centroid, on its slice. */
	private static int[] centre(SegObject o) {
		var m = o.mask();
		int z = m.minZ();
		long[] s = new long[3];
		m.slice(z).forEachRow((y, xs, xe) -> {
			for (int x = xs; x < xe; x++) {
				s[0] += x;
				s[1] += y;
				s[2]++;
			}
		});
		if (s[2] == 0) return null;
		int cx = (int) (s[0] / s[2]), cy = (int) (s[1] / s[2]);
		return m.contains(cx, cy, z) ? new int[] { cx, cy } : null;
	}

	private static List<Integer> spread(List<Integer> in, int max) {
		if (in.size() <= max) return in;
		List<Integer> out = new ArrayList<>();
		for (int k = 0; k < max; k++) out.add(in.get((int) ((k + 0.5) * in.size() / max)));
		return out;
	}

	private static void say(PrintWriter log, String s) {
		log.println("  " + s + " ...");
		log.flush();
	}

	static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	public static String table(Report r) {
		StringBuilder sb = new StringBuilder();
		sb.append("Pixel classifier on ").append(r.data().get("image")).append(" + ").append(r.data().get("labels")).append(" (").append(r.data().get("size"))
				.append(")\n");
		sb.append("Dice AL: strategy ").append(r.strategy()).append('\n');
		sb.append(String.format(Locale.ROOT, "%-10s %10s %12s%n", "slices", "Dice AL", "Dice random"));
		for (int k = 0; k < r.labelledSlices().size(); k++)
			sb.append(String.format(Locale.ROOT, "%-10d %10.3f %12.3f%n", r.labelledSlices().get(k), r.diceAl().get(k), r.diceRandom().get(k)));
		sb.append(String.format(Locale.ROOT, "%-58s %12s %10s %5s%n", "measure", "result", "goal", "met"));
		row(sb, r, "efficiency_vs_random (at Dice " + r.efficiencyTargetDice() + ")", r.efficiencyVsRandom(), "efficiency_vs_random");
		row(sb, r, "dice_final (random " + r.diceFinalRandom() + ")", r.diceFinal(), null);
		for (StrategyResult s : r.strategies().values())
			row(sb, r, String.format(Locale.ROOT, "efficiency_vs_random_%s (per seed %.2f ± %.2f)", s.key(), s.efficiencyPerSeedMean(), s.efficiencyPerSeedSd()),
					s.efficiencyVsRandom(), null);
		for (StrategyResult s : r.strategies().values()) row(sb, r, "dice_mean_" + s.key() + " (over the curve)", s.diceMean(), null);
		row(sb, r, String.format(Locale.ROOT, "dice_mean_random (± %.3f over seeds)", r.diceMeanRandomSd()), r.diceMeanRandom(), null);
		row(sb, r, "predict_512_s", r.predict512S(), "predict_512_s");
		row(sb, r, "predict_volume_s (" + r.volumeSize() + ")", r.predictVolumeS(), "predict_volume_s");
		row(sb, r, "train_10_s", r.train10S(), "train_10_s");
		row(sb, r, "click_p95_ms (p50 " + r.clickP50Ms() + ")", r.clickP95Ms(), "click_p95_ms");
		row(sb, r, "click_intensity_p95_ms (no model)", r.clickIntensityP95Ms(), null);
		if (r.clickModel() != null) {
			row(sb, r, "click_model_encode_ms (first click)", r.clickModelEncodeMs(), null);
			row(sb, r, "click_model_decoder_p95_ms (p50 " + r.clickModelDecoderP50Ms() + ")", r.clickModelDecoderP95Ms(), null);
		}
		return sb.toString();
	}

	private static void row(StringBuilder sb, Report r, String name, double v, String goal) {
		sb.append(String.format(Locale.ROOT, "%-58s %12.3f %10s %5s%n", name, v, goal == null ? "" : r.goals().get(goal),
				goal == null ? "" : r.goalsMet().get(goal) ? "yes" : "NO"));
	}

	public static void writeJson(Report r, Path json) throws IOException {
		if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
		new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
	}
}
