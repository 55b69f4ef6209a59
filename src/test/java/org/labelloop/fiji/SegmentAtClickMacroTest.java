package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Status;
import org.labelloop.testing.HeadlessBatch;

/** Segment at Click in a headless {@code -batch} macro on the real coins image: a coin's mask, accepted, from one click. */
class SegmentAtClickMacroTest {

	private static final String TD = Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath().toString();

	@TempDir
	Path tmp;

	/** A folder holding coins.png. */
	private Path coinImages() throws java.io.IOException {
		Path images = tmp.resolve("images");
		Files.createDirectories(images);
		Files.copy(Path.of(TD, "microscopy/coins.png"), images.resolve("coins.png"));
		return images;
	}

	/** Macro lines: a project of the images with the class coin (and one more, "name color=#rrggbb", on hotkey 2), its first image open. */
	private static String newCoinsProject(Path project, Path images, String second) {
		StringBuilder m = new StringBuilder("run(\"New Project\", \"folder=[" + project + "] name=coins user=hal\");\n"
				+ "run(\"Add Images\", \"path=[" + images + "]\");\n"
				+ "run(\"Edit Classes\", \"action=add class=coin color=#e6194b hotkey=1\");\n");
		if (second != null) m.append("run(\"Edit Classes\", \"action=add class=" + second + " hotkey=2\");\n");
		return m.append("run(\"Next Image\", \"strategy=sequential\");\n").toString();
	}

	@Test
	void aClickOnACoinAddsItsMaskAndAClickOutsideIsRefused() throws Exception {
		Path project = tmp.resolve("coins"), images = coinImages();
		Path macro = tmp.resolve("job.ijm");
		// (215, 51) is the centre of a coin of the top row (about 1,630 px by Otsu's threshold); (275, 52) the next one
		Files.writeString(macro, newCoinsProject(project, images, null)
				+ "run(\"Segment at Click\", \"x=215 y=51 slice=1 class=coin negative=[]\");\n"
				+ "run(\"Segment at Click\", \"x=900 y=51 slice=1 class=coin negative=[]\");\n"
				+ "run(\"Save Labels\");\n");
		String out = HeadlessBatch.run(tmp, macro, null, 60);
		assertTrue(out.contains("outside the image"), out);
		assertFalse(out.contains("Exception"), out);
		try (LocalBackend b = LocalBackend.open(project, "tester")) {
			List<Annotation> masks = b.annotations(b.images().get(0).id()).stream().filter(a -> a.data().isMask()).toList();
			assertEquals(1, masks.size(), out);
			Mask m = masks.get(0).data().mask();
			assertTrue(m.contains(215, 51, 0));
			assertFalse(m.contains(275, 52, 0), "the neighbouring coin is not part of it");
			assertTrue(m.voxelCount() > 1200 && m.voxelCount() < 2300, m.voxelCount() + " px");
			assertEquals(Status.ACCEPTED, masks.get(0).data().status());
			assertEquals("human:hal", masks.get(0).data().origin().toString());
		}
	}

	/**
	 * Scribbles (a stroke across one coin, the empty pixel rows between coin rows as background) and a segmentation
	 * model: a click on another coin takes that coin from the model's probabilities, and a refining negative click cuts
	 * part of it away again. The truth is the Otsu-threshold object under the click.
	 */
	@Test
	void withASegmentationModelTheClickTakesTheCoinFromItsProbabilities() throws Exception {
		Path project = tmp.resolve("model"), images = coinImages();
		ij.ImagePlus coins = ij.IJ.openImage(images.resolve("coins.png").toString());
		List<Mask> truth = org.labelloop.testing.OtsuObjects.of(coins.getProcessor()).stream().filter(m -> m.minY() > 151 && m.maxY() < 226).toList();
		Mask a = truth.get(0), b = truth.get(2);
		int ay = (a.minY() + a.maxY()) / 2, bx = (b.minX() + b.maxX()) / 2, by = (b.minY() + b.maxY()) / 2;
		String macroText = newCoinsProject(project, images, "background color=#2f80ed")
				+ "run(\"Paint Mask\", \"class=coin slice=1 radius=1 points=[" + (a.minX() + 6) + "," + ay + " " + (a.maxX() - 6) + "," + ay + "]\");\n"
				+ "run(\"Paint Mask\", \"class=background slice=1 radius=1 points=[0,151 383,151 383,226 0,226]\");\n"
				+ "run(\"Retrain\", \"task=seg\");\n"
				+ "run(\"Segment at Click\", \"x=" + bx + " y=" + by + " slice=1 class=coin negative=[]\");\n"
				+ "print(\"clicked\");\n"
				+ "run(\"Save Labels\");\n";
		Path macro = tmp.resolve("model.ijm");
		Files.writeString(macro, macroText);
		String out = HeadlessBatch.run(tmp, macro, null, 120);
		assertTrue(out.contains("where the model gives coin a probability"), out);
		assertFalse(out.contains("Exception") || out.contains("LabelLoop error"), out);
		Mask clicked;
		try (LocalBackend lb = LocalBackend.open(project, "tester")) {
			long coin = lb.classes().stream().filter(c -> c.name().equals("coin")).findFirst().orElseThrow().id();
			List<Annotation> decided = lb.annotations(lb.images().get(0).id()).stream()
					.filter(x -> x.data().isMask() && x.data().classId() == coin && x.data().status().isDecided()).toList();
			// the click landed in the model's own proposal of that coin: the person accepted it as it is, or corrected it
			// where the click's object reaches past it (a proposal no more either way)
			Annotation b1 = decided.stream().filter(x -> x.data().mask().contains(bx, by, 0)).findFirst().orElseThrow(() -> new AssertionError(decided));
			assertTrue(b1.data().origin().kind() != org.labelloop.core.model.Origin.Kind.HUMAN, "the model's object, decided: " + b1);
			clicked = b1.data().mask();
			System.out.printf(java.util.Locale.ROOT, "clicked coin: %d px, IoU %.3f with the threshold coin of %d px%n", clicked.voxelCount(), clicked.iou(b),
					b.voxelCount());
			assertTrue(clicked.iou(b) >= 0.8, "IoU " + clicked.iou(b));
			assertTrue(decided.stream().anyMatch(x -> x.data().mask().contains(a.minX() + 10, ay, 0) && x.data().status() == Status.ACCEPTED), "the stroke stays");
		}
		// a refining negative click near the coin's right edge takes that side away
		int nx = b.maxX() - 6;
		Files.writeString(macro, "run(\"Open Project\", \"folder=[" + project + "] user=hal\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");\n"
				+ "run(\"Segment at Click\", \"x=" + bx + " y=" + by + " slice=1 class=coin negative=[" + nx + "," + by + "] refine=yes\");\n"
				+ "run(\"Save Labels\");\n");
		out = HeadlessBatch.run(tmp, macro, null, 120);
		assertTrue(out.contains("erased"), out);
		try (LocalBackend lb = LocalBackend.open(project, "tester")) {
			long coin = lb.classes().stream().filter(c -> c.name().equals("coin")).findFirst().orElseThrow().id();
			Mask m = lb.annotations(lb.images().get(0).id()).stream()
					.filter(x -> x.data().isMask() && x.data().classId() == coin && x.data().status().isDecided() && x.data().mask().contains(bx, by, 0)).findFirst()
					.orElseThrow().data().mask();
			assertFalse(m.contains(nx, by, 0), "the negative click's side is gone");
			assertTrue(m.voxelCount() < clicked.voxelCount());
		}
	}

	/**
	 * With a promptable click model (Click Model: SAM's export signature, written by the test; its object is the disc
	 * of 20 pixels around the first click), a click takes the model's object, not the coin's own outline; a bad model
	 * is refused and nothing changes; Click Model with no encoder goes back to the coin's intensities.
	 */
	@Test
	void aClickModelGivesItsObjectAndCanBeSetAsideAgain() throws Exception {
		Path project = tmp.resolve("coins"), images = coinImages();
		int side = 64;
		Path enc = Files.write(tmp.resolve("sam_encoder.onnx"), org.labelloop.core.learn.djl.TinyOnnx.samEncoder(side)),
				dec = Files.write(tmp.resolve("sam_decoder.onnx"), org.labelloop.core.learn.djl.TinyOnnx.samDecoder(side, 384, 303, 20.5f * side / 384)),
				bad = Files.write(tmp.resolve("not_sam.onnx"), org.labelloop.core.learn.djl.TinyOnnx.twoClassMap(8, 8));
		Path macro = tmp.resolve("job.ijm");
		Files.writeString(macro, newCoinsProject(project, images, "other color=#3cb44b")
				+ "run(\"Click Model\", \"encoder=[" + enc + "] decoder=[" + dec + "]\");\n"
				+ "run(\"Segment at Click\", \"x=215 y=51 slice=1 class=coin negative=[]\");\n"
				+ "run(\"Save Labels\");\n"
				+ "run(\"Click Model\", \"encoder=[" + enc + "] decoder=[" + bad + "]\");\n" // refused: the macro stops here
				+ "print(\"NOT REACHED\");\n");
		String out = HeadlessBatch.run(tmp, macro, null, 90);
		assertFalse(out.contains("NOT REACHED"), "an error stops the macro");
		Path again = tmp.resolve("again.ijm");
		Files.writeString(again, "run(\"Open Project\", \"folder=[" + project + "] user=hal\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");\n"
				+ "run(\"Click Model\", \"encoder=[] decoder=[]\");\n"
				+ "run(\"Segment at Click\", \"x=215 y=51 slice=1 class=other negative=[]\");\n"
				+ "run(\"Save Labels\");\n");
		out += HeadlessBatch.run(tmp, again, null, 90);
		assertTrue(out.contains("No click model: click to segment uses"), out);
		assertTrue(out.contains("Click model set (encoder input 64 pixels)"), out);
		assertTrue(out.contains("from the click model (slice encoded; predicted IoU 0.90)"), out);
		assertTrue(out.contains("not_sam.onnx takes the inputs [x]"), out);
		assertFalse(out.contains("Exception"), out);
		try (LocalBackend b = LocalBackend.open(project, "tester")) {
			long coin = b.classes().stream().filter(c -> c.name().equals("coin")).findFirst().orElseThrow().id();
			List<Annotation> masks = b.annotations(b.images().get(0).id()).stream().filter(a -> a.data().isMask()).toList();
			assertEquals(2, masks.size(), out);
			Mask fromModel = masks.stream().filter(a -> a.data().classId() == coin).findFirst().orElseThrow().data().mask();
			// the decoder's disc of radius 20.5 × 64/384 in the 64-pixel frame, with the axes scaled as SAM scales points (64/384, 51/303)
			double r = 20.5 * side / 384, sx = 64.0 / 384, sy = 51.0 / 303;
			int want = 0;
			for (int y = 0; y < 303; y++)
				for (int x = 0; x < 384; x++) if (Math.pow((x - 215) * sx, 2) + Math.pow((y - 51) * sy, 2) < r * r) want++;
			assertEquals(want, fromModel.voxelCount(), "the model's disc of about 20 pixels, not the coin (about 1,630 px)");
			assertTrue(fromModel.contains(215, 51, 0) && fromModel.contains(234, 51, 0) && !fromModel.contains(236, 51, 0));
			Mask fromIntensity = masks.stream().filter(a -> a.data().classId() != coin).findFirst().orElseThrow().data().mask();
			assertTrue(fromIntensity.voxelCount() > 1200 && fromIntensity.voxelCount() < 2300, "without the click model, the coin itself: " + fromIntensity.voxelCount());
		}
	}
}
