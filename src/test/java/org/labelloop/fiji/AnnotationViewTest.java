package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.Backend;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.Images;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * The overlay view and the ROI edits, headless (no ROI Manager: the overlay is where edits are read), against a real
 * project.
 */
class AnnotationViewTest {

	@TempDir
	Path tmp;
	private LocalBackend b;
	private ImagePlus imp;
	private long image, nucleus, cell;
	private Annotation sure, unsure;

	@BeforeEach
	void project() {
		b = LocalBackend.create(tmp.resolve("p"), "view", "vera");
		b.addImages(List.of(Path.of(System.getProperty("labelloop.testData", "test-data"), "microscopy/coins.png")), Progress.NONE);
		image = b.images().get(0).id();
		nucleus = b.addClass("nucleus", "#ff0000", "n").id();
		cell = b.addClass("cell", "#00ff00", "c").id();
		b.apply("model", List.of(
				new Edit.Create(image, new AnnotationData(Geometry.rect(10, 10, 20, 20, Plane.ALL), nucleus, Origin.model("m1"), Status.PROPOSED, 0.9, Map.of())),
				new Edit.Create(image, new AnnotationData(Geometry.oval(50, 50, 30, 20, Plane.ALL), cell, Origin.model("m1"), Status.PROPOSED, 0.3, Map.of())),
				new Edit.Create(image, new AnnotationData(Geometry.rect(90, 90, 5, 5, Plane.ALL), cell, Origin.model("m1"), Status.REJECTED, 0.6, Map.of()))));
		List<Annotation> all = b.annotations(image);
		sure = all.get(0);
		unsure = all.get(1);
		imp = Images.open(b.imageFile(image));
		imp.setProperty(LabelLoopSession.IMAGE_ID, image);
	}

	@AfterEach
	void close() {
		b.close();
	}

	private List<Roi> ours() {
		List<Roi> list = new ArrayList<>();
		for (Roi r : imp.getOverlay()) if (AnnotationView.isOurs(r)) list.add(r);
		return list;
	}

	private Roi shape(long id) {
		for (Roi r : imp.getOverlay())
			if (String.valueOf(id).equals(r.getProperty(AnnotationView.ID)) && r.getProperty(AnnotationView.MARK) == null) return r;
		return null;
	}

	@Test
	void refreshReplacesOnlyLabelLoopRois() {
		Overlay o = new Overlay();
		Roi mine = new OvalRoi(1, 2, 3, 4);
		mine.setName("mine");
		o.add(mine);
		imp.setOverlay(o);
		AnnotationView.refresh(imp, b);
		AnnotationView.refresh(imp, b);
		assertEquals(4, ours().size(), "2 shapes + 2 labels; the rejected one is not drawn; nothing doubled");
		assertEquals(5, imp.getOverlay().size());
		assertTrue(imp.getOverlay().contains(mine), "the user's ROI is still there");
		assertEquals("nucleus #" + sure.id() + " 0.90", shape(sure.id()).getName(), "class, id and confidence tell entries apart");
		assertEquals("cell #" + unsure.id() + " 0.30", shape(unsure.id()).getName());
		assertNotNull(shape(unsure.id()).getStroke().getDashArray(), "low confidence is dashed");
		assertNull(shape(sure.id()).getStroke() == null ? null : shape(sure.id()).getStroke().getDashArray());
		assertEquals("1", shape(sure.id()).getProperty(AnnotationView.REV));
		assertEquals("nucleus", shape(sure.id()).getProperty(AnnotationView.CLASS));
		AnnotationView.detach(imp);
		assertEquals(List.of(mine), List.of(imp.getOverlay().toArray()));
		assertNull(LabelLoopSession.imageId(imp));
	}

	@Test
	void aLookReadBeforeAChangeNeverDrawsOverTheLookAfterIt() throws Exception {
		// the live-update poll reads the image's labels, then stalls; meanwhile a command adds a label and redraws
		CountDownLatch read = new CountDownLatch(1), go = new CountDownLatch(1);
		Backend stalling = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] { Backend.class }, (proxy, m, args) -> {
			Object r;
			try {
				r = m.invoke(b, args);
			} catch (InvocationTargetException e) {
				throw e.getCause();
			}
			if (m.getName().equals("annotations")) {
				read.countDown();
				go.await();
			}
			return r;
		});
		Thread poll = new Thread(() -> AnnotationView.refresh(imp, stalling));
		poll.start();
		assertTrue(read.await(10, TimeUnit.SECONDS));
		b.apply("vera", List.of(new Edit.Create(image, new AnnotationData(Geometry.rect(120, 20, 20, 20, Plane.ALL), cell, Origin.human("vera"),
				Status.ACCEPTED, null, Map.of()))));
		AnnotationView.refresh(imp, b);
		assertEquals(6, ours().size(), "3 shapes + 3 labels");
		go.countDown();
		poll.join(10_000);
		assertFalse(poll.isAlive());
		assertEquals(6, ours().size(), "the poll's older look did not draw over the newer one (it would drop the new label)");
		AnnotationView.refresh(imp, b);
		assertEquals(6, ours().size(), "a later look draws again");
	}

	@Test
	void saveWritesReshapedAsCorrectedAndTaggedAsNewHumanLabels() {
		AnnotationView.refresh(imp, b);
		RoiEdits none = new RoiEdits(b, imp);
		assertEquals(List.of(), none.saveEdits(), "unchanged ROIs write nothing");
		shape(sure.id()).setLocation(12, 15);
		Roi drawn = new Roi(100, 100, 10, 10);
		drawn.setProperty(AnnotationView.CLASS, "cell");
		imp.getOverlay().add(drawn);
		RoiEdits edits = new RoiEdits(b, imp);
		edits.apply("Save", edits.saveEdits());
		Annotation moved = b.annotation(sure.id()).orElseThrow();
		assertEquals(Status.CORRECTED, moved.data().status());
		assertEquals(Geometry.rect(12, 15, 20, 20, Plane.ALL), moved.data().geometry());
		assertEquals(nucleus, moved.data().classId(), "the class is kept");
		assertEquals(2, moved.revision());
		Annotation created = b.annotations(image).stream().filter(a -> a.data().origin().isHuman()).findFirst().orElseThrow();
		assertEquals(Geometry.rect(100, 100, 10, 10, Plane.ALL), created.data().geometry());
		assertEquals(Status.ACCEPTED, created.data().status());
		assertEquals("human:vera", created.data().origin().toString());
		for (Roi r : imp.getOverlay()) assertFalse(r == drawn, "the tagged ROI is replaced by the stored annotation");
		assertEquals(String.valueOf(created.id()), imp.getOverlay().get(imp.getOverlay().size() - 2).getProperty(AnnotationView.ID));
		assertEquals(List.of(), new RoiEdits(b, imp).saveEdits(), "saving again writes nothing");
	}

	@Test
	void aConflictWritesNothingAndShowsBothVersions() {
		AnnotationView.refresh(imp, b);
		// someone else accepts it meanwhile
		b.apply("other", List.of(new Edit.Update(sure.id(), 1, sure.data().withStatus(Status.ACCEPTED))));
		shape(sure.id()).setLocation(30, 30);
		RoiEdits edits = new RoiEdits(b, imp);
		var e = assertThrows(LabelLoopException.class, () -> edits.apply("Save", edits.saveEdits()));
		assertTrue(e.getMessage().contains("Stored now (revision 2, by vera): nucleus, accepted, rect at 10.0,10.0 size 20.0×20.0"), e.getMessage());
		assertTrue(e.getMessage().contains("Your version (based on revision 1): nucleus, corrected, rect at 30.0,30.0 size 20.0×20.0"), e.getMessage());
		assertEquals(2, b.history(sure.id()).size(), "nothing written");
	}

	@Test
	void acceptSelectedAcceptsAsIsOrCorrectsAReshapedSelection() {
		AnnotationView.refresh(imp, b);
		imp.setRoi((Roi) shape(sure.id()).clone());
		RoiEdits e1 = new RoiEdits(b, imp);
		e1.apply("accept", e1.acceptSelectedEdits());
		assertEquals(Status.ACCEPTED, b.annotation(sure.id()).orElseThrow().data().status());
		Roi moved = (Roi) shape(unsure.id()).clone();
		moved.setLocation(60, 61);
		imp.setRoi(moved);
		RoiEdits e2 = new RoiEdits(b, imp);
		e2.apply("accept", e2.acceptSelectedEdits());
		Annotation a = b.annotation(unsure.id()).orElseThrow();
		assertEquals(Status.CORRECTED, a.data().status());
		assertEquals(Geometry.oval(60, 61, 30, 20, Plane.ALL), a.data().geometry());
		imp.setRoi(new Roi(1, 1, 5, 5));
		var e = assertThrows(LabelLoopException.class, () -> new RoiEdits(b, imp).acceptSelectedEdits());
		assertEquals("The selection has no class yet: use Set Class (or a class hotkey) to label it.", e.getMessage());
	}

	@Test
	void setClassAcceptRejectAndTheImageLevelLabel() {
		AnnotationView.refresh(imp, b);
		imp.setRoi(new Roi(5, 5, 8, 8));
		RoiEdits e1 = new RoiEdits(b, imp);
		e1.apply("set", e1.setClassEdits("Nucleus"));
		assertEquals(4, b.annotations(image).size(), "a drawn selection became an annotation (class name case-insensitive)");
		assertNull(imp.getRoi(), "the selection was replaced by the stored annotation");
		imp.setRoi((Roi) shape(unsure.id()).clone());
		RoiEdits e2 = new RoiEdits(b, imp);
		e2.apply("reject", e2.rejectSelectedEdits());
		assertEquals(Status.REJECTED, b.annotation(unsure.id()).orElseThrow().data().status());
		RoiEdits e3 = new RoiEdits(b, imp);
		e3.apply("accept all", e3.acceptAllEdits(null));
		assertEquals(Status.ACCEPTED, b.annotation(sure.id()).orElseThrow().data().status());
		assertEquals(Status.REJECTED, b.annotation(unsure.id()).orElseThrow().data().status(), "rejected stays rejected");
		RoiEdits e4 = new RoiEdits(b, imp);
		e4.apply("whole", e4.wholeImageEdits("cell"));
		RoiEdits e5 = new RoiEdits(b, imp);
		e5.apply("whole", e5.wholeImageEdits("nucleus"));
		List<Annotation> whole = b.annotations(image).stream().filter(a -> a.data().isImageLevel()).toList();
		assertEquals(1, whole.size(), "replaced, not added");
		assertEquals(nucleus, whole.get(0).data().classId());
		assertEquals(2, whole.get(0).revision());
		assertEquals(1, imp.getOverlay().size() - 2 * 2, "one banner beside two shapes with labels");
		var none = assertThrows(LabelLoopException.class, () -> new RoiEdits(b, imp).setClassEdits("nucleus"));
		assertTrue(none.getMessage().startsWith("Nothing is selected"), none.getMessage());
		var unknown = assertThrows(LabelLoopException.class, () -> new RoiEdits(b, imp).wholeImageEdits("dog"));
		assertEquals("There is no class 'dog'. Classes: nucleus, cell.", unknown.getMessage());
	}
	/** The prediction banner is one strip inside the image: the whole text on coins.png, class and confidence on 28×28. */
	@Test
	void thePredictionBannerFitsSmallImages() {
		var model = new org.labelloop.core.model.ModelVersion(1, "v1", org.labelloop.core.model.Task.IMAGE, java.time.Instant.now(), "vera", "features",
				"logistic", List.of(nucleus, cell), 20, Map.of(), org.labelloop.core.model.ModelVersion.State.READY, true);
		Map<Long, org.labelloop.core.model.LabelClass> classes = new java.util.HashMap<>();
		b.classes().forEach(c -> classes.put(c.id(), c));
		var p = new org.labelloop.core.model.Prediction(1, org.labelloop.core.model.Target.image(image), Map.of(nucleus, 0.72, cell, 0.28), false);
		ImagePlus fashion = Images.open(Path.of(System.getProperty("labelloop.testData", "test-data"), "fashion/0006_coat.png"));
		for (ImagePlus on : List.of(imp, fashion)) {
			AnnotationView.showPrediction(on, on.getTitle(), p, model, classes);
			assertEquals("model v1: nucleus 0.72", AnnotationView.prediction(on), "macros read the whole text");
			ij.gui.TextRoi banner = null;
			for (Roi r : on.getOverlay()) if (AnnotationView.PREDICTION.equals(r.getProperty(AnnotationView.MARK))) banner = (ij.gui.TextRoi) r;
			assertNotNull(banner);
			java.awt.Rectangle r = banner.getBounds();
			assertTrue(r.x >= 0 && r.x + r.width <= on.getWidth(), "inside the image's width: " + r + " on " + on.getWidth());
			assertTrue(r.height <= on.getHeight() / 4, "a strip, not a cover: " + r + " on " + on.getHeight());
			assertEquals(on == imp ? "model v1: nucleus 0.72" : "nucleus 0.72", banner.getText().strip());
		}
	}
}
