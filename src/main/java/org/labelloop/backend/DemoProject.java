package org.labelloop.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The demo projects, made from {@code test-data}, each with images and classes that belong together:
 * <ul>
 * <li>{@link #create} (what {@code labelloop demo} opens): microscopy, brain MRI and DICOM images with the classes
 * cell, nucleus, artefact, background and coin (hotkeys 1–5), and the coins of {@code coins.png} proposed by the
 * classical proposer, so there is something to review, to paint and to label at once;</li>
 * <li>{@link #createFashion} ({@code labelloop demo --fashion}): the 20 Fashion-MNIST pictures with their own ten
 * classes (hotkeys 0–9), half of them labelled, so the first Retrain gives an image model to trust or doubt.</li>
 * </ul>
 * Before, one demo mixed both, and a model trained on clothing called coins and brain slices "shirt 0.90".
 */
public final class DemoProject {

	/** The Fashion-MNIST classes in label order, as {@code test-data/fashion/labels.csv} names them. */
	static final List<String> FASHION = List.of("tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot");
	/** Sasha Trubetskoy's 20 distinct colours; a class takes the first its project does not use yet. */
	private static final List<String> PALETTE = List.of("#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
			"#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000", "#ffd8b1", "#000075", "#a9a9a9");

	private DemoProject() {
	}

	/** Makes the microscopy and MRI demo project in {@code folder} and returns a one-line summary. */
	public static String create(Path testData, Path folder, String user) {
		check(testData);
		try (LocalBackend b = LocalBackend.create(folder, "LabelLoop demo", user)) {
			Path images = b.store().folder().resolve("images");
			copy(testData.resolve("microscopy"), images.resolve("microscopy"), "*.png");
			copy(testData.resolve("mri"), images.resolve("mri"), "ch2_*");
			copy(testData.resolve("dicom"), images.resolve("dicom"), "{CT_small,MR_small,MR_small_implicit}.dcm"); // the images, not the SEG
			// coins first, so the demo opens on an image with something to review
			ImportReport added = b.addImages(List.of(images.resolve("microscopy/coins.png"), images.resolve("microscopy"), images.resolve("mri"),
					images.resolve("dicom")), Progress.NONE);
			String[][] classes = { { "cell", "#e6194b", "1" }, { "nucleus", "#4363d8", "2" }, { "artefact", "#f58231", "3" },
					{ "background", "#808080", "4" }, { "coin", "#ffe119", "5" } };
			for (String[] c : classes) b.addClass(c[0], c[1], c[2]);
			int proposed = proposeCoins(b);
			return "Demo project '" + b.projectName() + "': " + added.added() + " images, " + b.classes().size() + " classes, " + proposed
					+ " proposed objects";
		} catch (IOException e) {
			throw new LabelLoopException("Cannot make the demo project in " + folder + ": " + e.getMessage(), e);
		}
	}

	/** Makes the Fashion-MNIST demo project in {@code folder} and returns a one-line summary. */
	public static String createFashion(Path testData, Path folder, String user) {
		check(testData);
		try (LocalBackend b = LocalBackend.create(folder, "LabelLoop Fashion-MNIST demo", user)) {
			ImportReport labelled = addFashion(b, testData);
			return "Demo project '" + b.projectName() + "': " + b.images().size() + " images, " + b.classes().size() + " classes, "
					+ labelled.added() + " image labels";
		}
	}

	/**
	 * Adds the Fashion-MNIST pictures to {@code b} (copied into the project), their ten classes with hotkeys 0–9, and
	 * the labels of the first half; returns the label import's report.
	 */
	public static ImportReport addFashion(LocalBackend b, Path testData) {
		try {
			Path images = b.store().folder().resolve("images");
			copy(testData.resolve("fashion"), images.resolve("fashion"), "*.png");
			b.addImages(List.of(images.resolve("fashion")), Progress.NONE);
			Set<String> names = new HashSet<>(), keys = new HashSet<>(), colours = new HashSet<>();
			b.classes().forEach(c -> {
				names.add(c.name());
				keys.add(c.hotkey());
				colours.add(c.color().toLowerCase(java.util.Locale.ROOT));
			});
			for (int i = 0; i < FASHION.size(); i++) {
				String key = String.valueOf(i);
				if (names.contains(FASHION.get(i))) continue;
				String colour = PALETTE.stream().filter(c -> !colours.contains(c)).findFirst().orElse(PALETTE.get(i));
				colours.add(colour);
				b.addClass(FASHION.get(i), colour, keys.contains(key) ? "" : key);
			}
			return labelHalfOfFashion(b, testData.resolve("fashion/labels.csv"));
		} catch (IOException e) {
			throw new LabelLoopException("Cannot add the Fashion-MNIST demo images to " + b.store().folder() + ": " + e.getMessage(), e);
		}
	}

	private static void check(Path testData) {
		if (!Files.isDirectory(testData.resolve("microscopy")) || !Files.isDirectory(testData.resolve("fashion")))
			throw new LabelLoopException("Test data not found in " + testData.toAbsolutePath()
					+ ": run this from the LabelLoop source folder, or give the test-data folder.");
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
