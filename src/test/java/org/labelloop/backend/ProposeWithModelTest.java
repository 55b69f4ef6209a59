package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.core.learn.djl.TinyOnnx;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;

/**
 * The user's segmentation model as an object proposer: a real ONNX model (written by {@link TinyOnnx}: class 1
 * wherever the normalised pixel is above 0) run by DJL on coins.png, its label map traced into polygons and stored
 * as proposals of origin {@code model:<model>}.
 */
class ProposeWithModelTest {

	@TempDir
	Path dir;

	@Test
	void aSegmentationModelsObjectsBecomeProposalsOfItsOrigin() throws Exception {
		Path model = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(96, 96));
		// coins are bright (> 128) on a darker background: x - 128 > 0 exactly on the coins
		var settings = DjlEmbedder.Settings.of(model, 96, 96, 1).withNormalisation(new float[] { 128 }, new float[] { 1 });
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			long coins = TrainerTest.image(b, "coins.png").id(), cell = TrainerTest.image(b, "cell.png").id();
			ProposeReport r = b.proposeWithModel(List.of(coins), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of("coin")), false, Progress.NONE);
			List<Annotation> found = b.annotations(coins);
			assertEquals(found.size(), r.objects(), r.summary());
			assertTrue(found.size() >= 8 && found.size() <= 40, "coins.png holds 24 coins; a 96×96 model finds most of them: " + r.summary());
			long coin = TrainerTest.cls(b, "coin");
			for (Annotation a : found) {
				assertEquals(Status.PROPOSED, a.data().status());
				assertEquals(coin, a.data().classId(), "label 1 maps to the first class named");
				assertTrue(a.data().origin().toString().startsWith("model:seg-djl-onnx-"), a.data().origin().toString());
				assertTrue(a.data().geometry().bounds().w() >= 5, "objects, not single pixels: " + a.data().geometry().bounds());
			}
			// images with proposals are skipped unless replace; replace swaps them in one undoable step
			assertEquals(1, b.proposeWithModel(List.of(coins), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of()), false, Progress.NONE).skipped());
			ProposeReport again = b.proposeWithModel(List.of(coins, cell), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of()), true, Progress.NONE);
			assertEquals(found.size(), again.replaced());
			assertTrue(b.annotations(coins).stream().allMatch(a -> a.data().classId() == null), "no class list: proposals without a class");
			b.undo();
			assertEquals(found.stream().map(Annotation::id).sorted().toList(), b.annotations(coins).stream().map(Annotation::id).sorted().toList());
		}
	}

	/**
	 * {@code objects=masks}: on coins.png as many masks as polygons, voxel for voxel what the model labelled; on the
	 * MRI volume objects reach across slices (one 3D mask, not a contour per slice).
	 */
	@Test
	void masksAreOneAnnotationPerObjectAndReachAcrossAVolumesSlices() throws Exception {
		Path model = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(96, 96));
		var settings = DjlEmbedder.Settings.of(model, 96, 96, 1).withNormalisation(new float[] { 128 }, new float[] { 1 });
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			long coins = TrainerTest.image(b, "coins.png").id(), coin = TrainerTest.cls(b, "coin");
			int polygons = b.proposeWithModel(List.of(coins), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of("coin")), false, Progress.NONE).objects();
			double polygonArea = b.annotations(coins).stream().mapToDouble(a -> a.data().geometry().area()).sum();
			ProposeReport r = b.proposeWithModel(List.of(coins), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of("coin"), true, false), true, Progress.NONE);
			List<Annotation> masks = b.annotations(coins);
			assertEquals(polygons, r.replaced(), "the polygons replaced");
			assertEquals(masks.size(), r.objects());
			// the same foreground: polygons are traced 8-connected, masks are face-connected objects (so a few more of them)
			double maskVoxels = masks.stream().mapToLong(a -> a.data().mask().voxelCount()).sum();
			assertTrue(masks.size() >= polygons && maskVoxels > 0.9 * polygonArea && maskVoxels <= 1.01 * polygonArea,
					masks.size() + " masks of " + maskVoxels + " voxels, " + polygons + " polygons of " + polygonArea);
			for (Annotation a : masks) {
				assertTrue(a.data().isMask() && a.data().geometry() == null, "a mask, not a shape");
				assertTrue(a.data().mask().voxelCount() >= 30, "min_area counts voxels: " + a.data().mask().voxelCount());
				assertEquals(coin, a.data().classId());
				assertEquals(Status.PROPOSED, a.data().status());
				assertTrue(a.data().origin().toString().startsWith("model:seg-djl-onnx-"));
			}
			// no two masks share a voxel: each is one connected object of the label map
			for (int i = 0; i < masks.size(); i++)
				for (int j = i + 1; j < masks.size(); j++) assertEquals(0, masks.get(i).data().mask().iou(masks.get(j).data().mask()), 0);

			// scale=tiles: the 96×96 window slides over the image at full resolution, so every mask voxel is a bright pixel
			ProposeReport tiled = b.proposeWithModel(List.of(coins), new ModelProposal(settings, Float.NEGATIVE_INFINITY, 30, List.of("coin"), true, true), true,
					Progress.NONE);
			ij.process.ImageProcessor ip = ij.IJ.openImage(org.labelloop.TestData.path("microscopy/coins.png").toString()).getProcessor();
			List<Annotation> tiledMasks = b.annotations(coins);
			assertTrue(tiled.objects() >= 10 && tiledMasks.size() == tiled.objects(), tiled.summary());
			long dark = 0;
			for (Annotation a : tiledMasks) {
				org.labelloop.core.geom.Mask m = a.data().mask();
				for (int y = m.minY(); y <= m.maxY(); y++)
					for (int x = m.minX(); x <= m.maxX(); x++) if (m.contains(x, y, 0) && ip.get(x, y) <= 128) dark++;
			}
			assertEquals(0, dark, "tiles: no pixel at or below the model's threshold in any mask");

			long volume = TrainerTest.image(b, "ch2_crop.nii.gz").id();
			var mri = DjlEmbedder.Settings.of(model, 96, 96, 1).withNormalisation(new float[] { 60 }, new float[] { 1 });
			ProposeReport v = b.proposeWithModel(List.of(volume), new ModelProposal(mri, Float.NEGATIVE_INFINITY, 50, List.of(), true, false), false, Progress.NONE);
			List<Annotation> objects = b.annotations(volume);
			assertTrue(v.objects() >= 1 && objects.size() == v.objects(), v.summary());
			assertTrue(objects.stream().anyMatch(a -> a.data().mask().depth() > 1), "a brain region spans slices: one 3D mask");
			assertTrue(objects.stream().allMatch(a -> a.data().classId() == null), "no class list: masks without a class");
		}
	}

	@Test
	void badModelsAndClassesAreRefusedWithTheirNamesAndNothingIsWritten() throws Exception {
		Path model = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(32, 32));
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			long coins = TrainerTest.image(b, "coins.png").id();
			var ok = DjlEmbedder.Settings.of(model, 32, 32, 1);
			LabelLoopException unknown = assertThrows(LabelLoopException.class,
					() -> b.proposeWithModel(List.of(coins), new ModelProposal(ok, 0, 10, List.of("nucleus")), false, Progress.NONE));
			assertTrue(unknown.getMessage().contains("'nucleus'") && unknown.getMessage().contains("coin"), unknown.getMessage());
			var missing = DjlEmbedder.Settings.of(dir.resolve("nope.onnx"), 32, 32, 1);
			LabelLoopException gone = assertThrows(LabelLoopException.class,
					() -> b.proposeWithModel(List.of(coins), new ModelProposal(missing, 0, 10, List.of()), false, Progress.NONE));
			assertTrue(gone.getMessage().contains("nope.onnx") && gone.getMessage().contains("does not exist"), gone.getMessage());
			Path corrupt = Files.write(dir.resolve("corrupt.onnx"), new byte[] { 1, 2, 3, 4, 5 });
			assertThrows(LabelLoopException.class, () -> b.proposeWithModel(List.of(coins), new ModelProposal(DjlEmbedder.Settings.of(corrupt, 32, 32, 1), 0, 10, List.of()), false, Progress.NONE));
			assertEquals(0, b.annotations(coins).size(), "nothing written");
		}
	}
}
