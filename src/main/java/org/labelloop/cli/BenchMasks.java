package org.labelloop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.labelloop.bench.MaskBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench masks}: mask annotations at CT scale; see {@link MaskBenchmark}. */
@Command(name = "masks", mixinStandardHelpOptions = true,
		description = "Mask annotations on a synthetic CT-like volume (default 512x512x300, 50 objects): store size, loading one slice's masks, "
				+ "a brush stroke saved as a revision, NIfTI label map export + re-import checked voxel for voxel. "
				+ "Goals: slice load <= 10 ms, stroke <= 50 ms, round trip <= 2 s, 0 voxels differing.")
public final class BenchMasks implements Callable<Integer> {
	@Option(names = "--width", defaultValue = "512") int width;
	@Option(names = "--height", defaultValue = "512") int height;
	@Option(names = "--slices", defaultValue = "300") int slices;
	@Option(names = "--objects", defaultValue = "50", description = "Objects (default: ${DEFAULT-VALUE}).") int objects;
	@Option(names = "--repetitions", defaultValue = "50", description = "Timed slice loads and strokes (default: ${DEFAULT-VALUE}).") int repetitions;
	@Option(names = "--brush", defaultValue = "10", description = "Brush radius in pixels (default: ${DEFAULT-VALUE}).") double brush;
	@Option(names = "--seed", defaultValue = "1") long seed;
	@Option(names = "--work", description = "Folder for the projects and the exported label map (default: a temporary folder, deleted after).")
	Path work;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		PrintWriter out = output.out();
		MaskBenchmark.Config config = new MaskBenchmark.Config(width, height, slices, objects, repetitions, brush, seed);
		MaskBenchmark.Report r = work != null ? MaskBenchmark.run(config, work, out)
				: Bench.inTemporaryFolder("labelloop-bench-masks", dir -> MaskBenchmark.run(config, dir, out));
		out.print(MaskBenchmark.table(r));
		output.write(file -> MaskBenchmark.writeJson(r, file));
		return 0;
	}
}
