package org.labelloop.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.imaging.ClassicalProposer.Settings;
import org.labelloop.imaging.Images;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

/**
 * The demo project: microscopy, MRI, DICOM and Fashion-MNIST images copied from {@code test-data}, a few
 * classes with hotkeys, half of the Fashion-MNIST images labelled, and the coins of {@code coins.png} proposed by
 * the classical proposer (so there is something to look at, something to review and something left to do).
 */
public final class DemoProject {

	private DemoProject() {
	}

	/** Makes the demo project in {@code folder} and returns a one-line summary. */
	public static String create(Path testData, Path folder, String user) {
		if (!Files.isDirectory(testData.resolve("microscopy")))
			throw new LabelLoopException("Test data not found in " + testData.toAbsolutePath()
					+ ": run this from the LabelLoop source folder, or give the test-data folder.");
		try (LocalBackend b = LocalBackend.create(folder, "LabelLoop demo", user)) {
			Path images = b.store().folder().resolve("images");
			copy(testData.resolve("microscopy"), images.resolve("microscopy"), "*.png");
			copy(testData.resolve("mri"), images.resolve("mri"), "ch2_*");
			copy(testData.resolve("dicom"), images.resolve("dicom"), "*.dcm");
			copy(testData.resolve("fashion"), images.resolve("fashion"), "*.png");
			// microscopy first, so the demo opens on an image with something to review
			ImportReport added = b.addImages(List.of(images.resolve("microscopy/coins.png"), images.resolve("microscopy"), images.resolve("mri"), images.resolve("dicom"),
					images.resolve("fashion")), Progress.NONE);
			String[][] classes = { { "cell", "#e6194b", "1" }, { "nucleus", "#4363d8", "2" }, { "artefact", "#f58231", "3" },
					{ "background", "#808080", "4" }, { "coin", "#ffe119", "5" } };
			for (String[] c : classes) b.addClass(c[0], c[1], c[2]);
			ImportReport labelled = labelHalfOfFashion(b, testData.resolve("fashion/labels.csv"));
			int proposed = proposeCoins(b);
			return "Demo project '" + b.projectName() + "': " + added.added() + " images, " + b.classes().size() + " classes, "
					+ labelled.added() + " image labels, " + proposed + " proposed objects";
		} catch (IOException e) {
			throw new LabelLoopException("Cannot make the demo project in " + folder + ": " + e.getMessage(), e);
		}
	}

	private static void copy(Path from, Path to, String glob) throws IOException {
		Files.createDirectories(to);
		try (Stream<Path> files = Files.list(from)) {
			for (Path f : files.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).sorted().toList())
				Files.copy(f, to.resolve(f.getFileName()));
		}
	}

	/** Objects found on coins.png by the classical proposer, as unclassified proposals to review. */
	private static int proposeCoins(LocalBackend b) {
		ImageRecord coins = b.images().stream().filter(i -> i.name().equals("coins.png")).findFirst().orElseThrow();
		Settings s = new Settings("Li", 1, 2, ClassicalProposer.Objects.BRIGHT, true, 300, 1e9, 0.5, true);
		List<Edit> edits = ClassicalProposer.propose(Images.open(b.imageFile(coins.id())), s, 1, 1).stream()
				.map(g -> (Edit) new Edit.Create(coins.id(), new AnnotationData(g, null, Origin.weak(s.id()), Status.PROPOSED, null, Map.of())))
				.toList();
		b.apply("Propose objects on coins.png", edits);
		return edits.size();
	}

	private static ImportReport labelHalfOfFashion(LocalBackend b, Path labels) throws IOException {
		List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
		List<String> half = new ArrayList<>(lines.subList(0, 1 + (lines.size() - 1) / 2));
		Path csv = Files.createTempFile("labelloop-demo", ".csv");
		try {
			Files.write(csv, half, StandardCharsets.UTF_8);
			return b.importLabels(Format.CSV, csv);
		} finally {
			Files.deleteIfExists(csv);
		}
	}
}
