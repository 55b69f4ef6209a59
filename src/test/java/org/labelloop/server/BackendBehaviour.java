package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.backend.Backend;
import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.Format;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.ProjectProgress;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.Images;

/**
 * What every {@link Backend} does, whether the project is a local folder or on a lab server: one suite, run by
 * {@link LocalBehaviourTest} and {@link RemoteBehaviourTest}. {@link #as} gives the backend of one of the fixture's
 * users, all on the same project.
 */
abstract class BackendBehaviour {

	@TempDir
	Path dir;
	LabFixture lab;

	/** Starts whatever the backends need on the fixture's project. */
	abstract void open(LabFixture fixture) throws Exception;

	/** The project as {@code user} sees it. */
	abstract LabelLoopBackend as(String user);

	abstract void close();

	/** How a file inside the project is named to {@code addImages}: a path here, relative to the project on a server. */
	Path fileArgument(Path inProject) {
		return inProject;
	}

	@BeforeEach
	void setUp() throws Exception {
		lab = LabFixture.create(dir.resolve("lab"));
		open(lab);
	}

	@AfterEach
	void tearDown() {
		close();
	}

	static long cls(Backend b, String name) {
		return b.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().id();
	}

	static ImageRecord image(Backend b, String name) {
		return b.images().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void seesTheProjectItsImagesAndWhoItIs() {
		LabelLoopBackend b = as("bob");
		assertEquals("lab", b.projectName());
		assertEquals("bob", b.user());
		assertEquals(Role.LABELLER, b.role());
		assertEquals(11, b.images().size());
		ImageRecord cell = image(b, "cell.png");
		assertEquals(cell, b.image(cell.id()));
		assertEquals(List.of("cell", "nucleus", "top", "footwear"), b.classes().stream().map(LabelClass::name).toList());
		assertEquals(Role.ADMIN, b.roles().get("alice"));
		assertTrue(b.location().contains(as("alice").location()) || as("alice").location().contains(b.location()));
	}

	@Test
	void theImageFileIsTheOneAddedCheckedByItsHash() {
		LabelLoopBackend b = as("bob");
		ImageRecord coins = image(b, "coins.png");
		Path f = b.imageFile(coins.id());
		assertEquals(coins.sha256(), Images.sha256(f));
		assertEquals(coins.width(), Images.open(f).getWidth());
		assertEquals(f, b.imageFile(coins.id()), "the second call finds the same file");
	}

	@Test
	void aMaskAnnotationTravelsWithItsVoxelsAndABrushStrokeIsOneUndoableRevision() throws Exception {
		LabelLoopBackend bob = as("bob"), rita = as("rita");
		long img = image(bob, "cell.png").id(), cell = cls(bob, "cell");
		org.labelloop.core.geom.Mask m = org.labelloop.core.geom.Mask.disc(30, 30, 8, 0).union(org.labelloop.core.geom.Mask.disc(31, 30, 6, 1));
		bob.apply("paint", List.of(new Edit.Create(img, AnnotationData.ofMask(m, cell, org.labelloop.core.model.Origin.human("bob"), Status.ACCEPTED, null))));
		Annotation a = rita.annotations(img).stream().filter(x -> x.data().isMask()).findFirst().orElseThrow();
		assertEquals(m, a.data().mask());
		org.labelloop.core.geom.Mask stroked = m.union(org.labelloop.core.geom.Mask.disc(40, 30, 3, 1));
		bob.apply("stroke", List.of(new Edit.Update(a.id(), a.revision(), a.data().withMask(stroked))));
		assertEquals(stroked, rita.annotations(img).stream().filter(x -> x.id() == a.id()).findFirst().orElseThrow().data().mask());
		assertThrows(ConflictException.class, () -> rita.apply("stale", List.of(new Edit.Update(a.id(), a.revision(), a.data().withMask(org.labelloop.core.geom.Mask.EMPTY)))));
		bob.undo();
		assertEquals(m, rita.annotations(img).stream().filter(x -> x.id() == a.id()).findFirst().orElseThrow().data().mask());
		// as a label map: a folder with the image's TIFF label image and its names file
		Path maps = dir.resolve("maps-" + System.nanoTime());
		assertEquals(1, rita.export(org.labelloop.backend.Format.TIFF_LABELS, maps).annotations());
		org.labelloop.imaging.LabelVolumes.Volume v = org.labelloop.imaging.LabelVolumes.read(maps.resolve("cell_labels.tif"));
		int value = v.slice(0)[30 * v.width() + 30];
		assertTrue(value > 0);
		assertEquals(m.slice(0).count(), java.util.Arrays.stream(v.slice(0)).filter(x -> x == value).count());
		assertTrue(java.nio.file.Files.readString(maps.resolve("cell_labels.txt")).contains(value + "\tcell"));
	}

	@Test
	void editsAreOneChangeSetAndAStaleWriteIsRefusedWholeWithTheCurrentRevision() {
		LabelLoopBackend bob = as("bob"), rita = as("rita");
		long img = image(bob, "cell.png").id(), cell = cls(bob, "cell"), nucleus = cls(bob, "nucleus");
		Geometry poly = Geometry.polygon(new double[] { 1.5, 20, 11 }, new double[] { 2, 3.25, 30 }, new Plane(0, 1, 0));
		ChangeSet cs = bob.apply("draw", List.of(new Edit.Create(img, AnnotationData.human(poly, cell, "bob")),
				new Edit.Create(img, AnnotationData.human(Geometry.oval(5, 5, 10, 8, Plane.ALL), null, "bob"))));
		assertEquals("bob", cs.user());
		assertEquals(2, cs.edits());
		List<Annotation> now = rita.annotations(img);
		assertEquals(2, now.size());
		Annotation drawn = now.stream().filter(a -> a.data().geometry().equals(poly)).findFirst().orElseThrow();
		assertEquals("bob", drawn.author());

		rita.apply("reclassify", List.of(new Edit.Update(drawn.id(), drawn.revision(), drawn.data().withClass(nucleus))));
		Annotation other = now.stream().filter(a -> a != drawn).findFirst().orElseThrow();
		ConflictException c = assertThrows(ConflictException.class, () -> bob.apply("stale", List.of(
				new Edit.Update(other.id(), other.revision(), other.data().withClass(cell)),
				new Edit.Update(drawn.id(), drawn.revision(), drawn.data().withStatus(Status.REJECTED)))));
		assertEquals(drawn.id(), c.annotationId());
		assertEquals(drawn.revision(), c.baseRevision());
		assertNotNull(c.current());
		assertEquals(nucleus, c.current().data().classId());
		assertEquals("rita", c.current().author());
		assertNull(bob.annotation(other.id()).orElseThrow().data().classId(), "nothing of the refused change set was written");
		List<AnnotationRevision> h = bob.history(drawn.id());
		assertEquals(2, h.size());
		assertEquals(List.of("bob", "rita"), h.stream().map(AnnotationRevision::author).toList());
		assertTrue(bob.annotation(987654).isEmpty());
	}

	@Test
	void undoAndRedoArePerUser() {
		LabelLoopBackend bob = as("bob"), rita = as("rita");
		long img = image(bob, "ihc.png").id(), cell = cls(bob, "cell");
		bob.apply("bob's label", List.of(new Edit.Create(img, AnnotationData.human(null, cell, "bob"))));
		rita.apply("rita's box", List.of(new Edit.Create(img, AnnotationData.human(Geometry.rect(1, 2, 3, 4, Plane.ALL), cell, "rita"))));
		assertEquals(2, bob.annotations(img).size());
		ChangeSet undone = bob.undo().orElseThrow();
		assertNotNull(undone.undoes());
		List<Annotation> left = rita.annotations(img);
		assertEquals(1, left.size());
		assertEquals("rita", left.get(0).author(), "bob's undo leaves rita's work");
		assertTrue(bob.undo().isEmpty(), "nothing more of bob's to undo");
		bob.redo().orElseThrow();
		assertEquals(2, rita.annotations(img).size());
	}

	@Test
	void nextItemsLeasesEachImageToOneLabellerAndReleases() {
		LabelLoopBackend bob = as("bob"), rita = as("rita");
		NextChoice.Batch a = bob.nextItems("random", 6, NextOptions.DEFAULT);
		NextChoice.Batch b = rita.nextItems("random", 6, NextOptions.DEFAULT);
		assertEquals(6, a.choices().size(), a.message());
		Set<Long> ids = new HashSet<>();
		a.choices().forEach(c -> ids.add(c.image().id()));
		b.choices().forEach(c -> assertTrue(ids.add(c.image().id()), "image " + c.image().id() + " leased twice"));
		assertEquals(5, b.choices().size(), "11 images, 6 held by bob");
		long given = a.choices().get(0).image().id();
		bob.releaseItem(given);
		NextChoice again = rita.nextItem("random", NextOptions.DEFAULT).orElseThrow();
		assertEquals(given, again.image().id(), "the released image is the only free one");
		bob.releaseItems();
		assertEquals(5, rita.nextItems("random", 10, NextOptions.DEFAULT).choices().size(), "every image bob held is free again");
		// locally an IllegalArgumentException, remotely the server's 400 as a LabelLoopException: the same message
		RuntimeException unknown = assertThrows(RuntimeException.class, () -> bob.nextItems("no-such-strategy", 1, NextOptions.DEFAULT));
		assertTrue(unknown.getMessage().contains("no-such-strategy") && unknown.getMessage().contains("entropy"), unknown.getMessage());
	}

	@Test
	void nextAndPreviousWalkTheProject() {
		LabelLoopBackend b = as("bob");
		List<ImageRecord> all = b.images();
		assertEquals(all.get(0), b.next(null, NextMode.SEQUENTIAL).orElseThrow());
		assertEquals(all.get(1), b.next(all.get(0).id(), NextMode.SEQUENTIAL).orElseThrow());
		assertEquals(all.get(all.size() - 1), b.previous(all.get(0).id()).orElseThrow());
		b.apply("label", List.of(new Edit.Create(all.get(1).id(), AnnotationData.human(null, cls(b, "cell"), "bob"))));
		assertEquals(all.get(2), b.next(all.get(0).id(), NextMode.UNLABELLED).orElseThrow(), "skips the labelled image");
	}

	@Test
	void commentsFlagsAndResolvingWithConflicts() {
		LabelLoopBackend bob = as("bob"), rita = as("rita");
		long img = image(bob, "cell.png").id();
		Comment flag = bob.addComment(Target.image(img), null, Comment.Kind.QUESTION_LABEL, "Is this a cell? ' OR 1=1; --");
		assertTrue(flag.isFlag());
		assertEquals("Is this a cell? ' OR 1=1; --", flag.text(), "stored verbatim");
		Comment reply = rita.addComment(Target.image(img), flag.id(), Comment.Kind.NOTE, "Yes.");
		assertEquals(List.of(flag.id(), reply.id()), bob.comments(Target.image(img)).stream().map(Comment::id).toList());
		Comment thread = bob.threads(true).get(0);
		assertEquals(flag.id(), thread.id());
		assertEquals(flag.revision() + 1, thread.revision(), "a reply changes the thread");
		LabelLoopException old = assertThrows(LabelLoopException.class, () -> rita.setResolved(flag.id(), flag.revision(), true));
		assertTrue(old.getMessage().startsWith("Conflict"), old.getMessage());
		Comment resolved = rita.setResolved(flag.id(), thread.revision(), true);
		assertFalse(resolved.open());
		assertEquals("rita", resolved.resolvedBy());
		LabelLoopException stale = assertThrows(LabelLoopException.class, () -> as("alice").setResolved(flag.id(), thread.revision(), false));
		assertTrue(stale.getMessage().startsWith("Conflict"), stale.getMessage());
		assertTrue(bob.threads(true).isEmpty());
		assertThrows(LabelLoopException.class, () -> bob.addComment(Target.annotation(424242), null, Comment.Kind.NOTE, "on nothing"));
	}

	@Test
	void classesCanBeAddedAndChanged() {
		LabelLoopBackend sam = as("sam");
		LabelClass m = sam.addClass("Mitosis, late", "#00ff00", "m");
		assertEquals("Mitosis, late", m.name());
		LabelClass renamed = sam.updateClass(m.with("mitosis", "#ff0000", null));
		assertEquals("mitosis", renamed.name());
		assertTrue(as("bob").classes().contains(renamed));
		assertThrows(LabelLoopException.class, () -> sam.addClass("mitosis", null, null), "a class name exists once");
	}

	@Test
	void roiSetsAndCocoRoundTripThroughTheBackend() throws Exception {
		LabelLoopBackend b = as("alice");
		long img = image(b, "coins.png").id();
		long cls = cls(b, "cell");
		Geometry poly = Geometry.polygon(new double[] { 1.5, 20, 11 }, new double[] { 2, 3.25, 30 }, new Plane(0, 1, 0));
		b.apply("draw", List.of(new Edit.Create(img, AnnotationData.human(poly, cls, "alice")),
				new Edit.Create(img, AnnotationData.human(Geometry.oval(5, 5, 10, 8, Plane.ALL), null, "alice"))));
		Path out = dir.resolve("rois");
		assertEquals(2, b.export(Format.ROI_ZIP, out).annotations());
		assertTrue(Files.isRegularFile(out.resolve("coins.zip")));
		Path coco = dir.resolve("out/labels.json");
		assertEquals(2, b.export(Format.COCO, coco).annotations());
		assertTrue(Files.readString(coco).contains("\"categories\""));
		b.undo();
		assertTrue(b.annotations(img).isEmpty());
		assertEquals(2, b.importLabels(Format.ROI_ZIP, out).added());
		assertTrue(b.annotations(img).stream().anyMatch(a -> poly.equals(a.data().geometry()) && a.data().classId() == cls));
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.COCO, dir.resolve("nope.json")));
		assertTrue(e.getMessage().contains("does not exist"));
	}

	@Test
	void progressCountsLabelsProposalsThreadsForEachUserAndLabelsSinceTheModel() throws Exception {
		LabelLoopBackend bob = as("bob"), rita = as("rita"), alice = as("alice");
		ProjectProgress p0 = bob.progress(), a0 = alice.progress();
		assertEquals(bob.images().size(), p0.images());
		long cell = cls(bob, "cell"), top = cls(bob, "top"), foot = cls(bob, "footwear");
		long img = image(bob, "coins.png").id();
		long before = bob.annotations(img).stream().filter(a -> a.data().status().isDecided()).count();
		bob.apply("draw", List.of(new Edit.Create(img, AnnotationData.human(Geometry.rect(1, 1, 9, 9, Plane.ALL), cell, "bob")),
				new Edit.Create(img, new AnnotationData(Geometry.rect(20, 20, 9, 9, Plane.ALL), null, org.labelloop.core.model.Origin.weak("test"),
						Status.PROPOSED, null, Map.of()))));
		Annotation mine = bob.annotations(img).stream().filter(a -> a.data().status() == Status.ACCEPTED).findFirst().orElseThrow();
		rita.addComment(Target.annotation(mine.id()), null, Comment.Kind.QUESTION_LABEL, "A cell on coins?");
		ProjectProgress p1 = bob.progress();
		assertEquals(p0.labelledImages() + (before == 0 ? 1 : 0), p1.labelledImages());
		assertEquals(p0.proposed() + 1, p1.proposed());
		java.util.function.BiFunction<ProjectProgress, Long, Long> count = (p, id) -> p.classes().stream().filter(c -> c.id() == id).findFirst().orElseThrow().labels();
		assertEquals(count.apply(p0, cell) + 1, count.apply(p1, cell));
		assertEquals(bob.classes().stream().map(LabelClass::name).toList(), p1.classes().stream().map(ProjectProgress.ClassCount::name).toList());
		assertEquals(p0.openThreads() + 1, p1.openThreads());
		assertEquals(p0.forMe() + 1, p1.forMe(), "a flag on bob's label is for bob");
		assertEquals(a0.forMe(), alice.progress().forMe(), "and not for alice");
		assertEquals(1, rita.progress().forMe() - a0.forMe(), "rita started it");
		// the image model, then one more image label: one new label since it was trained
		List<Edit> labels = LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(image(bob, n).id(),
				AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "bob"))).toList();
		bob.apply("label", labels);
		assertTrue(bob.progress().model(Task.IMAGE).isEmpty(), "no model yet");
		ModelVersion v1 = as("sam").retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
		ProjectProgress.ModelState m = rita.progress().model(Task.IMAGE).orElseThrow();
		assertEquals(v1.name(), m.name());
		assertEquals(0, m.newLabels());
		assertEquals(v1.metrics().get("accuracy"), m.accuracy());
		Thread.sleep(5);
		bob.apply("one more", List.of(new Edit.Create(image(bob, "cell.png").id(), AnnotationData.human(null, top, "bob"))));
		assertEquals(1, rita.progress().model(Task.IMAGE).orElseThrow().newLabels());
		assertFalse(rita.progress().model(Task.IMAGE).orElseThrow().retrainRecommended());
	}

	@Test
	void retrainMakesAModelThatPredictsAndCanBeRolledBackOrCancelled() {
		LabelLoopBackend sam = as("sam");
		long top = cls(sam, "top"), foot = cls(sam, "footwear");
		List<Edit> labels = LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(image(sam, n).id(),
				AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "sam"))).toList();
		sam.apply("label", labels);
		TrainOptions image = TrainOptions.defaults().withTasks(List.of(Task.IMAGE));
		CancelledException cancelled = assertThrows(CancelledException.class, () -> sam.retrain(image, new Progress() {
			@Override public void report(double f, String m) { }
			@Override public boolean isCancelled() { return true; }
		}));
		assertTrue(cancelled.getMessage().contains("cancelled"), cancelled.getMessage());
		assertTrue(sam.activeModel(Task.IMAGE).isEmpty(), "a cancelled run keeps nothing");

		TrainReport r1 = sam.retrain(image, Progress.NONE);
		ModelVersion v1 = r1.model(Task.IMAGE).orElseThrow();
		assertEquals(8, v1.trainSize());
		assertTrue(v1.active());
		assertTrue(sam.imagePrediction(image(sam, "cell.png").id()).isPresent(), "unlabelled images are predicted");
		ModelVersion v2 = sam.retrain(image, Progress.NONE).model(Task.IMAGE).orElseThrow();
		assertEquals(v2.id(), sam.activeModel(Task.IMAGE).orElseThrow().id());
		assertEquals(v1.id(), sam.activateModel(v1.id()).id());
		assertEquals(v1.id(), as("bob").activeModel(Task.IMAGE).orElseThrow().id());
		// the cancelled run left no ready version (a server may cancel its job before the run records one)
		assertEquals(List.of(v1.id(), v2.id()), sam.models().stream().filter(m -> m.state() == ModelVersion.State.READY).map(ModelVersion::id).toList(),
				sam.models().toString());
		var quality = sam.labelQuality(Task.IMAGE);
		assertNotNull(quality.matrix());
		// the reliability diagram and the calibration come through the wire too
		assertEquals(quality.matrix().length == 0 ? 0 : java.util.Arrays.stream(quality.matrix()).flatMapToInt(java.util.Arrays::stream).sum(),
				java.util.Arrays.stream(quality.reliability().count()).sum());
		assertTrue(quality.metrics().get("temperature") > 0, quality.metrics()::toString);
		sam.labelIssues(Task.IMAGE); // answers (possibly empty) without error
		assertNotNull(sam.agreement().pairs());
	}

	@Test
	void proposedObjectsAreOneUndoableStepAndReplaceOnlyProposals() {
		LabelLoopBackend sam = as("sam");
		long coins = image(sam, "coins.png").id();
		org.labelloop.backend.ProposeReport r = sam.proposeObjects(List.of(coins), org.labelloop.imaging.ClassicalProposer.Settings.defaults(), false,
				Progress.NONE);
		assertEquals(1, r.images());
		assertTrue(r.objects() >= 10, r.summary());
		List<Annotation> proposed = as("bob").annotations(coins);
		assertEquals(r.objects(), proposed.size());
		assertTrue(proposed.stream().allMatch(a -> a.data().status() == Status.PROPOSED && a.data().origin().kind() == org.labelloop.core.model.Origin.Kind.WEAK));
		assertEquals(1, sam.proposeObjects(List.of(coins), org.labelloop.imaging.ClassicalProposer.Settings.defaults(), false, Progress.NONE).skipped());
		Annotation kept = proposed.get(0);
		as("bob").apply("accept", List.of(new Edit.Update(kept.id(), kept.revision(), kept.data().withStatus(Status.ACCEPTED))));
		org.labelloop.backend.ProposeReport again = sam.proposeObjects(List.of(coins), org.labelloop.imaging.ClassicalProposer.Settings.defaults(), true,
				Progress.NONE);
		assertEquals(r.objects() - 1, again.replaced(), "the accepted one is not a proposal any more");
		assertTrue(sam.annotation(kept.id()).isPresent());
		sam.undo();
		assertEquals(r.objects(), sam.annotations(coins).size(), "undo brings back the replaced proposals");
	}

	@Test
	void rolesAreListedAndSet() {
		LabelLoopBackend alice = as("alice");
		alice.setRole("bob", Role.REVIEWER);
		assertEquals(Role.REVIEWER, as("rita").roles().get("bob"));
		Optional<Annotation> none = alice.annotation(-1);
		assertTrue(none.isEmpty());
	}

	@Test
	void aWrongIdSaysSo() {
		LabelLoopBackend b = as("bob");
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.image(99999));
		assertTrue(e.getMessage().contains("99999"), e.getMessage());
		Map<String, Role> roles = b.roles();
		assertEquals(4, roles.size());
	}

	/** Sam labels the Fashion-MNIST images top / footwear and retrains the image model. */
	/** Whether a Retrain runs in the caller's thread, so that its progress can hold it midway (not through a server's job). */
	boolean retrainWaitsForItsProgress() {
		return true;
	}

	/**
	 * Next Image and Similar Items stay usable while a Retrain runs, answered by the version before it: the Retrain
	 * is held midway (by its progress), and another labeller asks meanwhile; after it, the new version answers.
	 */
	@Test
	void nextImageAndSimilarItemsAnswerFromThePreviousVersionWhileARetrainRuns() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(retrainWaitsForItsProgress(), "a server's Retrain job does not wait for the client's progress");
		LabelLoopBackend sam = trained();
		ModelVersion v1 = sam.activeModel(Task.IMAGE).orElseThrow();
		java.util.concurrent.CountDownLatch midway = new java.util.concurrent.CountDownLatch(1), go = new java.util.concurrent.CountDownLatch(1);
		java.util.List<String> heldAt = new java.util.concurrent.CopyOnWriteArrayList<>();
		Progress holding = new Progress() {
			@Override
			public void report(double fraction, String message) {
				if (fraction < 0.5 || midway.getCount() == 0) return;
				heldAt.add(message);
				midway.countDown();
				try {
					go.await(60, java.util.concurrent.TimeUnit.SECONDS);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public boolean isCancelled() {
				return false;
			}
		};
		java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
		try {
			java.util.concurrent.Future<TrainReport> running = ex.submit(() -> sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), holding));
			assertTrue(midway.await(60, java.util.concurrent.TimeUnit.SECONDS), "the Retrain reached half way");
			LabelLoopBackend bob = as("bob");
			String cell = org.labelloop.backend.Similar.item("image", image(bob, "cell.png").id());
			org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
				NextChoice c = bob.nextItem("entropy", NextOptions.DEFAULT).orElseThrow();
				assertEquals("entropy", c.used(), "ranked by the previous version's predictions, not a fallback: " + c);
				bob.releaseItem(c.image().id());
				assertEquals(v1.id(), bob.activeModel(Task.IMAGE).orElseThrow().id(), "the previous version is still the active one");
				assertEquals(v1.name(), bob.similar(org.labelloop.backend.Similar.Query.nearest(cell, 2, org.labelloop.backend.ItemFilter.ALL)).modelVersion());
			}, "Next Image or Similar Items waited for the Retrain (held at " + heldAt + ")");
			assertFalse(running.isDone(), "the Retrain was still running when they answered");
			go.countDown();
			ModelVersion v2 = running.get(120, java.util.concurrent.TimeUnit.SECONDS).model(Task.IMAGE).orElseThrow();
			assertEquals(v2.name(), bob.similar(org.labelloop.backend.Similar.Query.nearest(cell, 2, org.labelloop.backend.ItemFilter.ALL)).modelVersion(),
					"after it, the new version answers");
		} finally {
			go.countDown();
			ex.shutdownNow();
		}
	}

	private LabelLoopBackend trained() {
		LabelLoopBackend sam = as("sam");
		long top = cls(sam, "top"), foot = cls(sam, "footwear");
		sam.apply("label", LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(image(sam, n).id(),
				AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "sam"))).toList());
		sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
		return sam;
	}

	/**
	 * A volume's slices are items of Next Image through either backend: asked for slices, the brain volume is handed
	 * out at a slice, and that slice's own prediction is there; asked for images, it is one item; a slice it does not
	 * have is refused with its range.
	 */
	@Test
	void aVolumeIsRankedBySlicesAndEachSliceHasItsPrediction() throws Exception {
		Path volume = lab.folder().resolve("volumes/ch2_crop.nii");
		Files.createDirectories(volume.getParent());
		Files.copy(org.labelloop.TestData.path("mri/ch2_crop.nii"), volume);
		assertEquals(1, as("alice").addImages(List.of(fileArgument(volume)), Progress.NONE).added());
		LabelLoopBackend sam = trained(), bob = as("bob");
		ImageRecord brain = image(bob, "ch2_crop.nii");
		assertEquals(8, brain.slices());
		int open = 4; // cell, coins, ihc and the volume are unlabelled
		NextChoice.Batch images = bob.nextItems("entropy", open, NextOptions.DEFAULT.withUnit(NextOptions.Unit.IMAGE));
		assertEquals(open, images.choices().size(), images.message());
		assertTrue(images.choices().stream().allMatch(c -> c.z() == 0), "whole images: " + images.choices());
		bob.releaseItems();
		NextChoice.Batch slices = bob.nextItems("entropy", open, NextOptions.DEFAULT.withUnit(NextOptions.Unit.SLICE));
		NextChoice atSlice = slices.choices().stream().filter(c -> c.image().id() == brain.id()).findFirst().orElseThrow(() -> new AssertionError(slices));
		assertTrue(atSlice.z() >= 1 && atSlice.z() <= 8, atSlice.toString());
		assertTrue(atSlice.reason().startsWith("slice " + atSlice.z() + " of 8: entropy "), atSlice.reason());
		assertTrue(slices.choices().stream().filter(c -> c != atSlice).allMatch(c -> c.z() == 0), "a 2D image is one item: " + slices.choices());
		bob.releaseItems();

		Prediction whole = bob.imagePrediction(brain.id()).orElseThrow(), slice = bob.imagePrediction(brain.id(), atSlice.z()).orElseThrow();
		assertTrue(whole.target().isImage(), whole.toString());
		assertEquals(org.labelloop.core.model.Target.slice(brain.id(), atSlice.z()), slice.target());
		assertEquals(sam.activeModel(Task.IMAGE).orElseThrow().id(), slice.modelId(), "the active model's");
		assertFalse(slice.outOfFold());
		assertEquals(1.0, slice.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
		assertEquals(bob.imagePrediction(image(bob, "cell.png").id()), bob.imagePrediction(image(bob, "cell.png").id(), 1), "a 2D image's slice 1 is itself");
		RuntimeException beyond = assertThrows(RuntimeException.class, () -> bob.imagePrediction(brain.id(), 9));
		assertTrue(beyond.getMessage().contains("Slice 9 is not in ch2_crop.nii: it has 8 slice(s)"), beyond.getMessage());
	}

	/** A segmentation model trained from one painted mask ranks the other grey images, asked for by task, on either side of the wire. */
	@Test
	void aSegmentationModelRanksTheUnsegmentedImagesByPixelEntropy() {
		LabelLoopBackend sam = as("sam"), bob = as("bob");
		ImageRecord cell = image(sam, "cell.png");
		assertTrue(bob.nextItems("entropy", 1, NextOptions.DEFAULT.withTask(Task.SEGMENTATION)).message().contains("No segmentation model yet"));
		bob.releaseItems();
		org.labelloop.core.geom.Mask.Builder m = org.labelloop.core.geom.Mask.builder();
		for (int y = 40; y < 70; y++) m.addRun(0, y, 50, 90);
		sam.apply("paint", List.of(new Edit.Create(cell.id(), AnnotationData.ofMask(m.build(), cls(sam, "nucleus"), org.labelloop.core.model.Origin.human("sam"),
				Status.ACCEPTED, null))));
		ModelVersion v = sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.SEGMENTATION)), Progress.NONE).model(Task.SEGMENTATION)
				.orElseThrow();
		NextChoice.Batch b = bob.nextItems("entropy", 3, NextOptions.DEFAULT.withTask(Task.SEGMENTATION));
		assertEquals(3, b.choices().size(), b.toString());
		assertTrue(b.choices().stream().noneMatch(c -> c.image().id() == cell.id()), "the segmented image is not a candidate: " + b);
		assertTrue(b.choices().get(0).reason().startsWith("mean pixel entropy") && b.choices().get(0).reason().contains("seg model " + v.name())
				&& b.choices().get(0).reason().contains("rank 1 of "), b.choices().get(0).reason());
		assertEquals("mean pixel entropy (segmentation)", b.used());
		bob.releaseItems();
	}

	/** A metadata filter travels to the engine: here no image has metadata (no DICOM), and the answer says so. */
	@Test
	void aMetadataFilterOnAProjectWithoutMetadataSaysWhatThereIs() {
		LabelLoopBackend bob = as("bob");
		RuntimeException e = assertThrows(RuntimeException.class,
				() -> bob.nextItems("random", 2, NextOptions.DEFAULT.withFilter(org.labelloop.backend.ItemFilter.parse("modality:CT"))));
		assertTrue(e.getMessage().contains("Unknown filter field 'modality'") && e.getMessage().contains("images have no metadata"), e.getMessage());
		assertEquals(2, bob.nextItems("random", 2, NextOptions.DEFAULT).choices().size(), "nothing was leased by the refused call");
	}

	@Test
	void similarItemsBulkLabelsAndTheMap() {
		LabelLoopBackend sam = trained();
		String boot = org.labelloop.backend.Similar.item("image", image(sam, "0000_ankle_boot.png").id());
		org.labelloop.backend.Similar.Result near = sam.similar(org.labelloop.backend.Similar.Query.nearest(boot, 3, org.labelloop.backend.ItemFilter.ALL));
		assertEquals(3, near.items().size(), near.toString());
		assertFalse(near.items().stream().anyMatch(i -> i.item().equals(boot)), "the example is not its own answer");
		for (int i = 1; i < near.items().size(); i++) assertTrue(near.items().get(i - 1).score() >= near.items().get(i).score());
		LabelLoopException unknown = assertThrows(LabelLoopException.class, () -> sam.similar(org.labelloop.backend.Similar.Query.nearest(boot, 3,
				org.labelloop.backend.ItemFilter.parse("class:unicorn"))));
		assertTrue(unknown.getMessage().contains("unicorn") && unknown.getMessage().contains("footwear"), unknown.getMessage());
		// a 2D image's measurements travel with it, and a comparison filters by them
		org.labelloop.backend.Similar.Item first = near.items().get(0);
		ImageRecord firstImage = image(sam, first.imageName());
		assertEquals(firstImage.width() * firstImage.height(), first.area(), 1e-6, "an image without calibration: its pixels");
		double mean = first.mean();
		org.labelloop.backend.Similar.Result brighter = sam.similar(org.labelloop.backend.Similar.Query.nearest(boot, 100,
				org.labelloop.backend.ItemFilter.parse("mean>" + mean + " and area>=1")));
		assertFalse(brighter.items().isEmpty(), "some image is brighter than " + first);
		assertTrue(brighter.items().stream().allMatch(i -> i.mean() > mean), brighter.toString());
		assertTrue(sam.similar(org.labelloop.backend.Similar.Query.nearest(boot, 100, org.labelloop.backend.ItemFilter.ALL)).items().stream()
				.filter(i -> i.mean() != null && i.mean() > mean).count() == brighter.items().size(), "every brighter image, and only those");
		// the map's filter: the same items (and the example itself, if it is brighter)
		java.util.Set<String> passing = new java.util.TreeSet<>(sam.matching(Task.IMAGE, org.labelloop.backend.ItemFilter.parse("mean>" + mean + " and area>=1")));
		passing.remove(boot);
		assertEquals(new java.util.TreeSet<>(brighter.items().stream().map(org.labelloop.backend.Similar.Item::item).toList()), passing);
		assertEquals(sam.images().size(), sam.matching(Task.IMAGE, org.labelloop.backend.ItemFilter.ALL).size());
		LabelLoopException noClass = assertThrows(LabelLoopException.class, () -> sam.matching(Task.IMAGE, org.labelloop.backend.ItemFilter.parse("class:unicorn")));
		assertTrue(noClass.getMessage().contains("unicorn") && noClass.getMessage().contains("footwear"), noClass.getMessage());

		String cell = org.labelloop.backend.Similar.item("image", image(sam, "cell.png").id());
		org.labelloop.backend.Similar.BulkReport bulk = as("bob").bulkLabel(new org.labelloop.backend.Similar.BulkLabel(List.of(cell), "cell", false, "looks like cells"));
		assertEquals(1, bulk.labelled());
		Annotation weak = sam.annotations(image(sam, "cell.png").id()).stream().filter(a -> a.data().isImageLevel()).findFirst().orElseThrow();
		assertEquals("weak:looks like cells", weak.data().origin().toString());
		assertEquals(Status.PROPOSED, weak.data().status());
		assertTrue(as("bob").undo().isPresent(), "a bulk label is one undoable step");
		assertTrue(sam.annotations(image(sam, "cell.png").id()).stream().noneMatch(a -> a.data().isImageLevel()));

		org.labelloop.backend.Similar.MapLayout map = sam.map(Task.IMAGE, Progress.NONE);
		assertEquals(sam.images().size(), map.points().size(), "every image is placed");
		assertEquals(map.points().size(), as("bob").mapNow(Task.IMAGE).orElseThrow().points().size());
	}

	/**
	 * Users of one project share its vector index: each one's Similar Items, Retrain and map work whoever went
	 * first (one index writer per folder: a second copy of the index on the same store used to fail with "already open").
	 */
	@Test
	void everyUserSearchesRetrainsAndMapsTheOneIndexInEitherOrder() {
		LabelLoopBackend sam = trained(), bob = as("bob"), alice = as("alice");
		String boot = org.labelloop.backend.Similar.item("image", image(sam, "0000_ankle_boot.png").id());
		var query = org.labelloop.backend.Similar.Query.nearest(boot, 3, org.labelloop.backend.ItemFilter.ALL);
		List<String> samSees = sam.similar(query).items().stream().map(org.labelloop.backend.Similar.Item::item).toList();
		assertEquals(samSees, bob.similar(query).items().stream().map(org.labelloop.backend.Similar.Item::item).toList(),
				"bob searches the index sam's Retrain built");
		assertEquals(sam.images().size(), bob.map(Task.IMAGE, Progress.NONE).points().size());

		ModelVersion v2 = alice.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
		for (LabelLoopBackend b : List.of(bob, sam, alice)) {
			org.labelloop.backend.Similar.Result r = b.similar(query);
			assertEquals(v2.name(), r.modelVersion(), b.user() + " searches the new version");
			assertEquals(3, r.items().size());
		}
		assertEquals(sam.images().size(), sam.map(Task.IMAGE, Progress.NONE).points().size());
		ModelVersion v3 = sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
		assertEquals(v3.name(), alice.similar(query).modelVersion());
		assertEquals(v3.name(), bob.map(Task.IMAGE, Progress.NONE).modelVersion());
	}

	@Test
	void theProjectsOwnModelsRunWhereTheProjectIs() throws Exception {
		LabelLoopBackend sam = as("sam");
		Files.createDirectories(lab.folder().resolve("models"));
		Files.write(lab.folder().resolve("models/seg.onnx"), org.labelloop.core.learn.djl.TinyOnnx.twoClassMap(64, 64));
		var seg = org.labelloop.core.learn.djl.DjlEmbedder.Settings.of(Path.of("models/seg.onnx"), 64, 64, 1)
				.withNormalisation(new float[] { 128 }, new float[] { 1 });
		long coins = image(sam, "coins.png").id();
		org.labelloop.backend.ProposeReport r = sam.proposeWithModel(List.of(coins),
				new org.labelloop.backend.ModelProposal(seg, Float.NEGATIVE_INFINITY, 30, List.of("cell")), false, Progress.NONE);
		assertTrue(r.objects() >= 5, r.summary());
		assertTrue(as("bob").annotations(coins).stream().allMatch(a -> a.data().origin().toString().startsWith("model:seg-")
				&& a.data().classId() == cls(sam, "cell")));

		float[][] w = new float[32 * 32][4];
		for (int i = 0; i < w.length; i++) w[i][i % 4] = 1f / 256;
		Files.write(lab.folder().resolve("models/embed.onnx"), org.labelloop.core.learn.djl.TinyOnnx.gemm(1, 32, 32, w, new float[4]));
		sam.setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings.of(Path.of("models/embed.onnx"), 32, 32, 1));
		assertEquals(32, as("bob").embedderModel().orElseThrow().width());
		assertTrue(as("bob").embedderModel().orElseThrow().modelFile().toString().replace('\\', '/').endsWith("models/embed.onnx"));
		LabelLoopException missing = assertThrows(LabelLoopException.class,
				() -> sam.setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings.of(Path.of("models/none.onnx"), 32, 32, 1)));
		assertTrue(missing.getMessage().contains("none.onnx"), missing.getMessage());
	}
}
