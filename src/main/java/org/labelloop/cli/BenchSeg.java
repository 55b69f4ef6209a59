package org.labelloop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.labelloop.bench.SegBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench seg}: the built-in pixel classifier and click-to-segment; see {@link SegBenchmark}. */
@Command(name = "seg", mixinStandardHelpOptions = true,
		description = "Pixel classifier on a labelled volume: Dice vs labelled slices, active learning (strategies side by side: mean entropy, trees' disagreement, with or without a diversity rule) vs random; "
				+ "speed of prediction (512x512, 256x256x100), training (10 slices) and click-to-segment. "
				+ "Goals: predict 512^2 <= 0.5 s, volume <= 20 s, train 10 <= 10 s, click p95 <= 150 ms, efficiency >= 1.5.")
public final class BenchSeg implements Callable<Integer> {
	@Option(names = "--image", defaultValue = "test-data/mri/ch2_crop.nii", description = "Grey image volume, NIfTI or TIFF (default: ${DEFAULT-VALUE}).")
	Path image;
	@Option(names = "--labels", defaultValue = "test-data/mri/aal_crop.nii.gz", description = "Label map of the same geometry (default: ${DEFAULT-VALUE}).")
	Path labels;
	@Option(names = "--classes", description = "Label values that are classes, e.g. 1,2,5 (the rest is background); default: every non-zero value is one class.")
	String classes;
	@Option(names = "--budget", defaultValue = "8", description = "Labelled slices at the end of the curve (default: ${DEFAULT-VALUE}).") int budget;
	@Option(names = "--seeds", defaultValue = "8", description = "Random runs (default: ${DEFAULT-VALUE}).") int seeds;
	@Option(names = "--pool", defaultValue = "24", description = "Pool slices at most (default: ${DEFAULT-VALUE}).") int pool;
	@Option(names = "--eval", defaultValue = "12", description = "Evaluation slices at most (default: ${DEFAULT-VALUE}).") int eval;
	@Option(names = "--trees", defaultValue = "32", description = "Trees of the forest (default: ${DEFAULT-VALUE}).") int trees;
	@Option(names = "--click-image", defaultValue = "test-data/microscopy/coins.png", description = "2D image for the 512x512 prediction and the clicks (default: ${DEFAULT-VALUE}).")
	Path clickImage;
	@Option(names = "--predict-size", defaultValue = "512") int predictSize;
	@Option(names = "--volume", defaultValue = "256x256x100", description = "Size the volume is resampled to for predict_volume_s and train_10_s (default: ${DEFAULT-VALUE}).")
	String volume;
	@Option(names = "--clicks", defaultValue = "100", description = "Timed clicks (default: ${DEFAULT-VALUE}).") int clicks;
	@Option(names = "--seed", defaultValue = "1") long seed;
	@Option(names = "--click-encoder", description = "A promptable click model's encoder (ONNX, SAM's signature; with --click-decoder): times its encoding and its decoder per click.")
	Path clickEncoder;
	@Option(names = "--click-decoder", description = "The promptable click model's decoder (ONNX, SAM's export).")
	Path clickDecoder;
	@Option(names = "--strategies", defaultValue = "entropy,disagreement,entropy+diverse,disagreement+diverse",
			description = "Active-learning strategies compared, the first is the one of efficiency_vs_random: entropy (mean pixel entropy), disagreement "
					+ "(the forest's trees outvoted, mean over the slice), each with +diverse (no slice within --gap slices of a labelled or chosen one); "
					+ "default: ${DEFAULT-VALUE}.")
	String strategies;
	@Option(names = "--gap", defaultValue = "6", description = "The diversity rule's gap, in slices (default: ${DEFAULT-VALUE}).") int gap;
	@Option(names = "--axis", defaultValue = "z", description = "Slices across this axis of the volume: z (its own slices), y or x (default: ${DEFAULT-VALUE}).")
	String axis;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		PrintWriter out = output.out();
		List<Integer> values = new ArrayList<>();
		if (classes != null && !classes.isBlank())
			for (String s : classes.split(",")) {
				try {
					values.add(Integer.parseInt(s.strip()));
				} catch (NumberFormatException e) {
					throw new IllegalArgumentException("--classes takes label values separated by commas (e.g. 1,2,5), not '" + classes + "'");
				}
			}
		String[] v = volume.toLowerCase(java.util.Locale.ROOT).split("x");
		if (v.length != 3) throw new IllegalArgumentException("--volume is WxHxD, e.g. 256x256x100, not " + volume);
		int[] size = { Integer.parseInt(v[0].strip()), Integer.parseInt(v[1].strip()), Integer.parseInt(v[2].strip()) };
		if ((clickEncoder == null) != (clickDecoder == null)) throw new IllegalArgumentException("--click-encoder and --click-decoder go together");
		SegBenchmark.Report r = SegBenchmark.run(new SegBenchmark.Config(image, labels, values, budget, seeds, pool, eval, trees, clickImage, predictSize, size, clicks, seed,
				clickEncoder, clickDecoder, java.util.Arrays.stream(strategies.split(",")).map(n -> org.labelloop.core.seg.SliceChoice.parse(n, gap)).toList(),
				axis.strip().toLowerCase(java.util.Locale.ROOT).length() == 1 ? axis.strip().toLowerCase(java.util.Locale.ROOT).charAt(0) : '?'), out);
		out.print(SegBenchmark.table(r));
		output.write(file -> SegBenchmark.writeJson(r, file));
		return 0;
	}
}
