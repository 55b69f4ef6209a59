package org.labelloop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.labelloop.backend.Format;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.LabelMap;
import org.labelloop.interop.LabelMapFormat;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar labelloop.jar}: the LabelLoop command line, for scripts and servers. {@code scope = INHERIT} gives
 * every subcommand, at every depth, {@code --help} and {@code --version} (picocli's standard help options and this
 * version provider) in this one place, so a new subcommand cannot forget them ({@code CliHelpTest} walks them all).
 */
@Command(name = "labelloop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, scope = ScopeType.INHERIT,
		description = "Label biomedical images with a model in the loop. A project is a folder; these commands work on it without ImageJ's windows.",
		subcommands = { Main.Init.class, Main.Add.class, Main.Info.class, Main.Classes.class, Main.Export.class,
				Main.Import.class, Main.Undo.class, ModelCommands.Train.class, ModelCommands.EmbedderModel.class, ModelCommands.Propose.class,
				ModelCommands.Models.class, NextCommand.class, Demo.class, Bench.class, SimilarCommand.class,
				ServerCommands.Serve.class, ServerCommands.Migrate.class, ServerCommands.User.class })
public final class Main {

	private static final String SIMPLE_LOGGER_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
	/**
	 * Smile's L-BFGS warns "reaches maximum 40 iterations" whenever it stops at the iteration cap, which LabelLoop sets
	 * on purpose (ClassifierSpec.Logistic's maxIter keeps Retrain fast); on a command line that is noise, not a warning.
	 */
	private static final String BFGS_LEVEL = "org.slf4j.simpleLogger.log.smile.math.BFGS";

	public static void main(String[] args) {
		// slf4j-simple (the CLI jar's binding, see pom.xml) logs at INFO by default; a command line shows only WARN and
		// ERROR on stderr. A -Dorg.slf4j.simpleLogger.defaultLogLevel=... given by the user wins.
		if (System.getProperty(SIMPLE_LOGGER_LEVEL) == null) System.setProperty(SIMPLE_LOGGER_LEVEL, "warn");
		if (System.getProperty(BFGS_LEVEL) == null) System.setProperty(BFGS_LEVEL, "error");
		System.exit(run(args));
	}

	/** Runs a command line and returns its exit code: 0 done, 1 a user error (message printed), 2 bad usage. */
	public static int run(String... args) {
		return commandLine().execute(args);
	}

	/** The command tree with LabelLoop's error handling: a user error is one line on stderr and exit code 1. */
	static CommandLine commandLine() {
		CommandLine cl = new CommandLine(new Main());
		cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
			if (e instanceof LabelLoopException || e instanceof IllegalArgumentException) {
				cmd.getErr().println("labelloop: " + e.getMessage());
				return 1;
			}
			throw e;
		});
		return cl;
	}

	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			String v = Main.class.getPackage().getImplementationVersion();
			return new String[] { "LabelLoop " + (v == null ? "(development build)" : v) };
		}
	}

	/** Options every project command shares. */
	static class ProjectOptions {
		@Option(names = { "-p", "--project" }, required = true, description = "The project folder.")
		Path project;

		@Option(names = { "-u", "--user" }, description = "Who the changes are recorded under (default: ${DEFAULT-VALUE}).",
				defaultValue = "${sys:user.name}")
		String user;

		LocalBackend open() {
			return LocalBackend.open(project, user);
		}
	}

	abstract static class ProjectCommand implements Callable<Integer> {
		@CommandLine.Mixin
		ProjectOptions options;
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		PrintWriter out() {
			return spec.commandLine().getOut();
		}

		@Override
		public Integer call() {
			try (LocalBackend b = options.open()) {
				return run(b);
			}
		}

		abstract int run(LocalBackend b);
	}

	@Command(name = "init", description = "Make a new project in a folder (which may already hold images).")
	static final class Init implements Callable<Integer> {
		@Parameters(index = "0", description = "The project folder.")
		Path folder;
		@Option(names = "--name", description = "Project name (default: the folder's name).")
		String name;
		@Option(names = { "-u", "--user" }, defaultValue = "${sys:user.name}")
		String user;
		@Option(names = "--class", description = "A label class to create; repeat for more.")
		List<String> classes = List.of();
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public Integer call() {
			try (LocalBackend b = LocalBackend.create(folder, name, user)) {
				for (String c : classes) b.addClass(c, null, null);
				spec.commandLine().getOut().println("Created project '" + b.projectName() + "' in " + b.location());
			}
			return 0;
		}
	}

	@Command(name = "add", description = "Add image files or folders (searched recursively) to a project. "
			+ "Exit code 1 when nothing was added and a file could not be read.")
	static final class Add extends ProjectCommand {
		@Parameters(arity = "1..*", description = "Image files or folders.")
		List<Path> files;

		@Override
		int run(LocalBackend b) {
			ImportReport r = b.addImages(files, Progress.NONE);
			// each problem once, on stderr, naming the file and the reason; the count on stdout
			r.problems().forEach(p -> spec.commandLine().getErr().println("not added: " + p));
			out().println(r.summary());
			return r.added() == 0 && !r.problems().isEmpty() ? 1 : 0;
		}
	}

	@Command(name = "info", description = "Print a project's images, classes and label counts.")
	static final class Info extends ProjectCommand {
		@Option(names = "--images", description = "List every image.")
		boolean listImages;

		@Override
		int run(LocalBackend b) {
			PrintWriter o = out();
			List<ImageRecord> images = b.images();
			o.println("Project: " + b.projectName() + " (" + b.location() + ")");
			o.println("Images: " + images.size());
			if (listImages)
				for (ImageRecord im : images)
					o.printf("  %d  %s  %dx%dx%d c=%d t=%d %d-bit  %d labels%n", im.id(), im.path(), im.width(), im.height(),
							im.slices(), im.channels(), im.frames(), im.bitDepth(), b.annotations(im.id()).size());
			List<LabelClass> classes = b.classes();
			o.println("Classes: " + classes.size());
			Map<Long, Long> perClass = images.stream().flatMap(im -> b.annotations(im.id()).stream())
					.filter(a -> a.data().classId() != null)
					.collect(Collectors.groupingBy(a -> a.data().classId(), Collectors.counting()));
			for (LabelClass c : classes)
				o.printf("  %-20s %s %s %d labels%n", c.name(), c.color(), c.hotkey().isEmpty() ? " " : c.hotkey(),
						perClass.getOrDefault(c.id(), 0L));
			Map<String, Long> byStatus = new TreeMap<>(images.stream().flatMap(im -> b.annotations(im.id()).stream())
					.collect(Collectors.groupingBy((Annotation a) -> a.data().status().key(), Collectors.counting())));
			o.println("Annotations: " + byStatus.values().stream().mapToLong(Long::longValue).sum() + " " + byStatus);
			return 0;
		}
	}

	@Command(name = "classes", description = "List classes, or add them with --add.")
	static final class Classes extends ProjectCommand {
		@Option(names = "--add", description = "Name of a class to add; repeat for more.")
		List<String> add = List.of();

		@Override
		int run(LocalBackend b) {
			for (String n : add) b.addClass(n, null, null);
			b.classes().stream().sorted(Comparator.comparingInt(LabelClass::order))
					.forEach(c -> out().println(c.name() + "\t" + c.color() + "\t" + c.hotkey()));
			return 0;
		}
	}

	/** The label-map options of import and export. */
	static class LabelMapOptions {
		@Option(names = "--image", description = "nifti, tiff-labels, dicom-seg: the project image (id, path or file name) to import onto or to export; "
				+ "default: by file name on import, every image with masks on export.")
		String image;
		@Option(names = "--names", description = "nifti, tiff-labels import: a file of 'value name' lines naming the classes of the label values "
				+ "(e.g. aal_labels.txt); default: <label map>.txt beside it when present, else 'label <n>'.")
		Path names;
		@Option(names = "--objects", defaultValue = "value", description = "nifti, tiff-labels import: one mask per label 'value' (default: atlas regions) "
				+ "or per 3D 'connected' part of each value.")
		String objects;

		LabelMapFormat.Options options() {
			LabelMap.Split split = switch (objects.toLowerCase(java.util.Locale.ROOT)) {
				case "value" -> LabelMap.Split.BY_VALUE;
				case "connected" -> LabelMap.Split.CONNECTED;
				default -> throw new IllegalArgumentException("--objects is value or connected, not " + objects);
			};
			return new LabelMapFormat.Options(image, names == null ? null : names.toAbsolutePath(), split);
		}
	}

	@Command(name = "export", description = "Write the project's labels: coco (a .json file), csv (image labels), roi-zip (a folder of ImageJ ROI sets), "
			+ "nifti or tiff-labels (mask annotations as label maps: a folder of <image>_labels.nii.gz / .tif, or one file).")
	static final class Export extends ProjectCommand {
		@Option(names = { "-f", "--format" }, required = true, description = "coco, csv, roi-zip, nifti or tiff-labels")
		String format;
		@Option(names = { "-o", "--out" }, required = true, description = "Output file (coco, csv; nifti, tiff-labels for one image) or folder (roi-zip, nifti, tiff-labels).")
		Path out;
		@CommandLine.Mixin
		LabelMapOptions labelMaps;

		@Override
		int run(LocalBackend b) {
			ExportReport r = b.export(Format.parse(format), out, labelMaps.options());
			out().println("Wrote " + r.annotations() + " annotation(s) of " + r.images() + " image(s) to " + r.target());
			return 0;
		}
	}

	@Command(name = "import", description = "Read labels from coco, csv, roi-zip, nifti, tiff-labels or dicom-seg files into the project (one undoable step).")
	static final class Import extends ProjectCommand {
		@Option(names = { "-f", "--format" }, required = true, description = "coco, csv, roi-zip, nifti, tiff-labels or dicom-seg")
		String format;
		@Parameters(index = "0", description = "The file (or, for roi-zip, a .zip or a folder of them).")
		Path source;
		@CommandLine.Mixin
		LabelMapOptions labelMaps;

		@Override
		int run(LocalBackend b) {
			ImportReport r = b.importLabels(Format.parse(format), source, labelMaps.options());
			r.problems().forEach(p -> spec.commandLine().getErr().println("skipped: " + p));
			out().println(r.summary());
			return 0;
		}
	}

	@Command(name = "undo", description = "Undo your latest change in the project.")
	static final class Undo extends ProjectCommand {
		@Override
		int run(LocalBackend b) {
			out().println(b.undo().map(c -> c.description() + " (" + c.edits() + " revision(s) written)").orElse("Nothing to undo."));
			return 0;
		}
	}
}
