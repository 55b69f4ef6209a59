package org.labelloop.cli;

import org.labelloop.core.model.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.ModelSummary;
import org.labelloop.backend.ProposeReport;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.backend.Trainer;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.imaging.VolumeProposer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}, {@code propose} and {@code models}: the model loop from the command line. */
final class ModelCommands {

	private ModelCommands() {
	}

	@Command(name = "train", description = "Retrain: embed, train, out-of-fold metrics, predict every unlabelled image and proposed ROI. "
			+ "Each task (image labels, ROI classes) with enough labels gets a new active model version.")
	static final class Train extends Main.ProjectCommand {
		@Option(names = "--classifier", defaultValue = "logistic", description = "logistic or forest (default: ${DEFAULT-VALUE}).")
		String classifier;
		@Option(names = "--folds", defaultValue = "0", description = "Out-of-fold folds; 0 = min(5, smallest class count) (default).")
		int folds;
		@Option(names = "--task", description = "image or roi; repeat for both (default: both).")
		List<String> tasks = List.of();
		@Option(names = "--seed", defaultValue = "42", description = "Seed of folds and training (default: ${DEFAULT-VALUE}).")
		long seed;
		@Option(names = "--embedder", defaultValue = "features", description = "features (built in), model (the project's model, see "
				+ "'embedder') or cnn (a CNN trained on the image labels first) (default: ${DEFAULT-VALUE}).")
		String embedder;

		@Override
		int run(LocalBackend b) {
			TrainOptions o = new TrainOptions(TrainOptions.classifier(classifier), folds, seed, tasks.stream().map(Task::parse).toList(), embedder);
			TrainReport r = b.retrain(o, Progress.NONE);
			PrintWriter out = out();
			out.print(r.metricsTable());
			out.flush();
			for (TrainReport.TaskResult t : r.tasks()) {
				if (t.model() == null) out.println(t.task() + ": not trained: " + t.skipped());
				else out.println(t.task() + ": " + t.model().name() + " is active; " + t.labelled() + " labelled item(s) with out-of-fold predictions, "
						+ t.predicted() + " predicted");
				t.problems().forEach(p -> spec.commandLine().getErr().println("note: " + p));
			}
			return 0;
		}
	}

	@Command(name = "embedder", description = "Show or set the project's own embedding model (ONNX or TorchScript, run offline): "
			+ "'train --embedder model' uses it. The model is loaded and run once before it is stored.")
	static final class EmbedderModel extends Main.ProjectCommand {
		@Option(names = "--model", description = "The .onnx or .pt (TorchScript) file; without it, show the current setting.")
		java.nio.file.Path model;
		@Option(names = "--size", split = "x", defaultValue = "224x224", description = "Input width x height (default: ${DEFAULT-VALUE}).")
		int[] size;
		@Option(names = "--channels", defaultValue = "1", description = "1 or 3 (default: ${DEFAULT-VALUE}).")
		int channels;
		@Option(names = "--mean", split = ",", description = "Mean per channel subtracted from pixel values (default: 0).")
		float[] mean;
		@Option(names = "--std", split = ",", description = "Standard deviation per channel pixel values are divided by (default: 1).")
		float[] std;
		@Option(names = "--output", defaultValue = "0", description = "The output to use: its index or name (default: ${DEFAULT-VALUE}).")
		String output;

		@Override
		int run(LocalBackend b) {
			PrintWriter out = out();
			if (model != null) {
				if (size.length != 2) throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, e.g. 224x224");
				boolean index = output.matches("\\d+");
				b.setEmbedderModel(new org.labelloop.core.learn.djl.DjlEmbedder.Settings(model, size[0], size[1], channels, mean, std,
						index ? Integer.parseInt(output) : 0, index ? null : output));
			}
			out.println(b.embedderModel().map(s -> "embedder model: " + s.modelFile() + " " + s.width() + "x" + s.height() + "x" + s.channels()
					+ " mean " + java.util.Arrays.toString(s.mean()) + " std " + java.util.Arrays.toString(s.std()) + " output "
					+ (s.outputName() != null ? s.outputName() : s.outputIndex())).orElse("no embedder model set (train uses the built-in features)"));
			out.flush();
			return 0;
		}
	}

	@Command(name = "propose", description = "Propose objects (ROIs to review) with the classical proposer: smooth, auto-threshold, "
			+ "watershed, size and shape filters. Images that already have proposals are skipped unless --replace.")
	static final class Propose extends Main.ProjectCommand {
		@Option(names = "--method", defaultValue = "Otsu", description = "ImageJ auto-threshold method: Otsu, Li, Huang, Triangle, … (default: ${DEFAULT-VALUE}).")
		String method;
		@Option(names = "--channel", defaultValue = "1", description = "1-based channel (default: ${DEFAULT-VALUE}).")
		int channel;
		@Option(names = "--sigma", defaultValue = "1", description = "Gaussian smoothing in pixels (default: ${DEFAULT-VALUE}).")
		double sigma;
		@Option(names = "--objects", defaultValue = "auto", description = "bright, dark or auto (default: ${DEFAULT-VALUE}).")
		String objects;
		@Option(names = "--no-watershed", description = "Do not split touching objects.")
		boolean noWatershed;
		@Option(names = "--min-area", defaultValue = "20", description = "Smallest object in pixels (default: ${DEFAULT-VALUE}).")
		double minArea;
		@Option(names = "--max-area", defaultValue = "Infinity", description = "Largest object in pixels (default: no limit).")
		double maxArea;
		@Option(names = "--circularity", defaultValue = "0", description = "Smallest circularity 0..1 (default: ${DEFAULT-VALUE}).")
		double circularity;
		@Option(names = "--exclude-edges", description = "Drop objects touching the image border.")
		boolean excludeEdges;
		@Option(names = "--image", description = "Image id or file name; repeat for more (default: every image).")
		List<String> images = List.of();
		@Option(names = "--replace", description = "Replace earlier proposals (reviewed labels are kept).")
		boolean replace;
		@Option(names = "--3d", description = "3D objects of a stack: one threshold for every slice, 3D connected parts, each a proposed mask "
				+ "(--sigma smooths in 3D; --min-voxels / --max-voxels instead of the area, circularity, watershed and edge filters).")
		boolean threeD;
		@Option(names = "--min-voxels", defaultValue = "20", description = "--3d: smallest object in voxels (default: ${DEFAULT-VALUE}).")
		long minVoxels;
		@Option(names = "--max-voxels", defaultValue = "9223372036854775807", description = "--3d: largest object in voxels (default: no limit).")
		long maxVoxels;
		@Option(names = "--frame", defaultValue = "1", description = "--3d: 1-based time point (default: ${DEFAULT-VALUE}).")
		int frame;

		@Override
		int run(LocalBackend b) {
			ClassicalProposer.Objects kind;
			try {
				kind = ClassicalProposer.Objects.valueOf(objects.strip().toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("--objects is bright, dark or auto, not '" + objects + "'");
			}
			List<Long> ids = images.isEmpty() ? b.images().stream().map(ImageRecord::id).toList() : images.stream().map(i -> imageId(b, i)).toList();
			ProposeReport r = threeD
					? b.proposeVolumeObjects(ids, new VolumeProposer.Settings(method, channel, frame, sigma, kind, minVoxels, maxVoxels), replace, Progress.NONE)
					: b.proposeObjects(ids, new ClassicalProposer.Settings(method, channel, sigma, kind, !noWatershed, minArea, maxArea, circularity, excludeEdges),
							replace, Progress.NONE);
			r.problems().forEach(p -> spec.commandLine().getErr().println("skipped: " + p));
			out().println(r.summary());
			return 0;
		}

		static long imageId(LocalBackend b, String idOrName) {
			for (ImageRecord im : b.images())
				if (String.valueOf(im.id()).equals(idOrName) || im.name().equals(idOrName) || im.path().equals(idOrName)) return im.id();
			throw new LabelLoopException("No image '" + idOrName + "' in the project (give its id, file name or path; see 'labelloop info --images').");
		}
	}

	@Command(name = "models", description = "List model versions with their out-of-fold metrics, or make one active again (rollback).")
	static final class Models extends Main.ProjectCommand {
		@Option(names = "--activate", paramLabel = "vN", description = "The version to make active, e.g. v3.")
		String activate;

		@Override
		int run(LocalBackend b) {
			if (activate != null) {
				ModelVersion m = b.models().stream().filter(v -> v.name().equalsIgnoreCase(activate.strip())).findFirst()
						.orElseThrow(() -> new LabelLoopException("No model version '" + activate + "'; versions: "
								+ String.join(", ", b.models().stream().map(ModelVersion::name).toList())));
				b.activateModel(m.id());
				out().println(m.name() + " is now the active " + m.task() + " model.");
			}
			out().print(table(b.models()));
			out().flush();
			return 0;
		}
	}

	static String table(List<ModelVersion> models) {
		return ModelSummary.table(models);
	}

}
