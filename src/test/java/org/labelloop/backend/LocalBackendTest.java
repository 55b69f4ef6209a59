package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;

class LocalBackendTest {

	@TempDir
	Path dir;

	@Test
	void importsEveryTestDataImageAndReportsEveryBadFile() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "all", "alice")) {
			ImportReport r = b.addImages(List.of(TestData.folder()), Progress.NONE);
			// 3 microscopy + 6 MRI slices + 2 NIfTI crops (.nii, .nii.gz) + 1 atlas crop + 3 DICOM + 20 fashion
			assertEquals(35, r.added(), r.problems().toString());
			// the four bad files, and the DICOM-SEG, which is labels, not an image
			assertEquals(5, r.problems().size(), r.problems().toString());
			assertTrue(r.problems().stream().anyMatch(p -> p.contains("MR_small_seg.dcm") && p.contains("format dicom-seg")), r.problems().toString());
			for (String bad : new String[] { "truncated.png", "not_an_image.tif", "empty.png", "corrupt.nii.gz" })
				assertTrue(r.problems().stream().anyMatch(p -> p.contains(bad)), bad + " not reported: " + r.problems());
			ImageRecord ct = b.images().stream().filter(i -> i.name().equals("CT_small.dcm")).findFirst().orElseThrow();
			assertEquals(128, ct.width());
			assertEquals(16, ct.bitDepth());
			ImageRecord nii = b.images().stream().filter(i -> i.name().equals("ch2_crop.nii.gz")).findFirst().orElseThrow();
			assertEquals(List.of(48, 56, 8), List.of(nii.width(), nii.height(), nii.slices()));
			assertTrue(nii.path().startsWith("/"), "outside the project the path stays absolute: " + nii.path());
			assertEquals(64, nii.sha256().length());
		}
	}

	@Test
	void imagesInsideTheProjectAreStoredRelativeAndAMovedOrChangedFileIsCaught() throws Exception {
		Path p = dir.resolve("p");
		Files.createDirectories(p.resolve("img"));
		Path cell = Files.copy(TestData.path("microscopy/cell.png"), p.resolve("img/cell.png"));
		try (LocalBackend b = LocalBackend.create(p, "rel", "alice")) {
			assertEquals(1, b.addImages(List.of(p), Progress.NONE).added());
			ImageRecord im = b.images().get(0);
			assertEquals("img/cell.png", im.path());
			assertEquals(cell, b.imageFile(im.id()));

			Files.copy(TestData.path("microscopy/coins.png"), cell, StandardCopyOption.REPLACE_EXISTING);
			LabelLoopException changed = assertThrows(LabelLoopException.class, () -> b.imageFile(im.id()));
			assertTrue(changed.getMessage().contains("changed on disk"), changed.getMessage());

			Files.delete(cell);
			LabelLoopException moved = assertThrows(LabelLoopException.class, () -> b.imageFile(im.id()));
			assertTrue(moved.getMessage().contains("has moved or was deleted"), moved.getMessage());

			Path elsewhere = Files.copy(TestData.path("microscopy/coins.png"), p.resolve("img/coins-new.png"));
			b.relink(im.id(), elsewhere);
			assertEquals(elsewhere, b.imageFile(im.id()));
		}
	}

	@Test
	void nextAndPreviousWalkTheProject() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "walk", "alice")) {
			b.addImages(List.of(TestData.path("microscopy")), Progress.NONE);
			List<ImageRecord> all = b.images();
			assertEquals(all.get(0), b.next(null, NextMode.SEQUENTIAL).orElseThrow());
			assertEquals(all.get(1), b.next(all.get(0).id(), NextMode.SEQUENTIAL).orElseThrow());
			assertEquals(all.get(0), b.next(all.get(2).id(), NextMode.SEQUENTIAL).orElseThrow(), "wraps around");
			assertEquals(all.get(2), b.previous(all.get(0).id()).orElseThrow());

			long cls = b.addClass("cell", null, "1").id();
			b.apply("label", List.of(new Edit.Create(all.get(1).id(), AnnotationData.human(null, cls, "alice"))));
			assertEquals(all.get(2), b.next(all.get(0).id(), NextMode.UNLABELLED).orElseThrow(), "skips the labelled image");
			Set<Long> seen = new HashSet<>();
			for (int i = 0; i < 50; i++) seen.add(b.next(null, NextMode.RANDOM).orElseThrow().id());
			assertEquals(Set.of(all.get(0).id(), all.get(2).id()), seen, "random picks among unlabelled images only");
		}
	}

	@Test
	void addingImagesCanBeCancelledAndKeepsWhatWasDone() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "cancel", "alice")) {
			AtomicInteger reports = new AtomicInteger();
			Progress cancelAfterTwo = new Progress() {
				@Override public void report(double fraction, String message) { reports.incrementAndGet(); }
				@Override public boolean isCancelled() { return reports.get() >= 2; }
			};
			assertThrows(CancelledException.class, () -> b.addImages(List.of(TestData.path("fashion")), cancelAfterTwo));
			assertEquals(2, b.images().size());
		}
	}

	@Test
	void importLabelsFromAMissingFileSaysSo() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "x", "alice")) {
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.COCO, dir.resolve("nope.json")));
			assertTrue(e.getMessage().contains("does not exist"));
		}
	}

	@Test
	void roiSetsRoundTripThroughTheBackend() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "roi", "alice")) {
			b.addImages(List.of(TestData.path("microscopy")), Progress.NONE);
			long img = b.images().get(0).id();
			long cls = b.addClass("Mitosis, late", "#00ff00", "").id();
			Geometry poly = Geometry.polygon(new double[] { 1.5, 20, 11 }, new double[] { 2, 3.25, 30 }, new Plane(0, 1, 0));
			b.apply("draw", List.of(new Edit.Create(img, AnnotationData.human(poly, cls, "alice")),
					new Edit.Create(img, AnnotationData.human(Geometry.oval(5, 5, 10, 8, Plane.ALL), null, "alice"))));
			Path out = dir.resolve("rois");
			assertEquals(2, b.export(Format.ROI_ZIP, out).annotations());
			b.undo();
			assertTrue(b.annotations(img).isEmpty());
			assertEquals(2, b.importLabels(Format.ROI_ZIP, out).added());
			List<Geometry> back = b.annotations(img).stream().map(a -> a.data().geometry()).toList();
			assertTrue(back.contains(poly), back.toString());
			assertEquals(cls, b.annotations(img).stream().filter(a -> a.data().geometry().equals(poly)).findFirst().orElseThrow().data().classId());
			assertFalse(b.annotations(img).stream().anyMatch(a -> a.data().geometry().kind() == Geometry.Kind.OVAL && a.data().classId() != null));
		}
	}

	@Test
	void theDemoProjectsEachHaveImagesAndClassesThatBelongTogether() {
		Path p = dir.resolve("demo");
		String summary = DemoProject.create(TestData.folder(), p, "alice");
		try (LocalBackend b = LocalBackend.open(p, "alice")) {
			assertEquals(List.of("cell", "nucleus", "artefact", "background", "coin"), b.classes().stream().map(c -> c.name()).toList());
			assertTrue(b.images().stream().allMatch(i -> i.path().startsWith("images/")), "copied inside the project");
			assertTrue(b.images().stream().noneMatch(i -> i.path().contains("fashion")), "no clothing among the coins and brains");
			assertEquals("coins.png", b.images().get(0).name(), "the demo opens on an image with proposals");
			long proposals = b.annotations(b.images().get(0).id()).stream().filter(a -> a.data().status() == Status.PROPOSED).count();
			assertTrue(proposals >= 12, "proposed coins: " + proposals);
			assertEquals(proposals, b.images().stream().mapToLong(i -> b.annotations(i.id()).size()).sum(), "nothing else labelled");
			assertEquals("Demo project 'LabelLoop demo': " + b.images().size() + " images, 5 classes, " + proposals + " proposed objects", summary);
		}
		try (LocalBackend b = LocalBackend.open(p, "alice")) {
			DemoProject.addFashion(b, TestData.folder()); // both in one project (some tests need that): no colour or hotkey twice
			assertEquals(15, b.classes().stream().map(c -> c.color()).distinct().count(), b.classes().toString());
			assertEquals(10, b.classes().stream().map(c -> c.hotkey()).filter(k -> !k.isEmpty()).distinct().count(), "1-5, then 0 and 6-9");
		}
		Path f = dir.resolve("fashion");
		summary = DemoProject.createFashion(TestData.folder(), f, "alice");
		assertEquals("Demo project 'LabelLoop Fashion-MNIST demo': 20 images, 10 classes, 10 image labels", summary);
		try (LocalBackend b = LocalBackend.open(f, "alice")) {
			assertEquals(List.of("tshirt 0", "trouser 1", "pullover 2", "dress 3", "coat 4", "sandal 5", "shirt 6", "sneaker 7", "bag 8", "ankle_boot 9"),
					b.classes().stream().map(c -> c.name() + " " + c.hotkey()).toList());
			assertEquals(10, b.classes().stream().map(c -> c.color()).distinct().count(), "ten colours");
			for (var im : b.images()) {
				var labels = b.annotations(im.id());
				// 0000_ankle_boot.png: its label, when it has one, is the class its name says
				labels.forEach(a -> assertEquals(im.name().substring(5, im.name().length() - 4),
						b.classes().stream().filter(c -> c.id() == a.data().classId()).findFirst().orElseThrow().name()));
			}
		}
	}
}
