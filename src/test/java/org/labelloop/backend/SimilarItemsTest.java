package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.backend.TrainerTest.IMAGE_LABELS;
import static org.labelloop.backend.TrainerTest.cls;
import static org.labelloop.backend.TrainerTest.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.labelloop.TestData;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;

/**
 * Similar items, bulk labels and the map on the Retrain test project (Fashion-MNIST images in footwear / top / other,
 * scans, coins.png's proposals): the index follows Retrain and every label change, queries answer in the project's
 * terms, bulk labels are normal undoable labels, and bad input says what is wrong.
 */
class SimilarItemsTest {

	@TempDir
	Path dir;

	/** The Retrain test project, trained (image and ROI models). */
	static LocalBackend trained(Path folder) {
		LocalBackend b = TrainerTest.project(folder);
		TrainerTest.labelImages(b, IMAGE_LABELS);
		TrainerTest.labelCoins(b);
		b.retrain(TrainOptions.defaults(), Progress.NONE);
		return b;
	}

	/** The items of the image model: every image, and each slice of a volume. */
	static int imageItems(LocalBackend b) {
		return b.images().stream().mapToInt(im -> 1 + ItemPayloads.slices(im)).sum();
	}

	static String img(LocalBackend b, String name) {
		return Similar.item(Similar.IMAGE, image(b, name).id());
	}

	static List<String> ids(Similar.Result r) {
		return r.items().stream().map(Similar.Item::item).toList();
	}

	static Annotation imageLabel(LocalBackend b, String name) {
		return Labels.current(b.annotations(image(b, name).id())).orElse(null);
	}

	@Test
	void retrainIndexesEveryItemAndNearestNeighboursAreFoundBestFirst() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			ModelVersion im = b.activeModel(Task.IMAGE).orElseThrow(), roi = b.activeModel(Task.ROI).orElseThrow();
			for (ModelVersion m : List.of(im, roi)) {
				Path f = ItemIndex.folderOf(b.store().folder(), m);
				assertTrue(Files.isDirectory(f), f.toString());
				assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".synced")));
				assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".contents")));
			}
			String boot = img(b, "0000_ankle_boot.png");
			Similar.Result r = b.similar(Similar.Query.nearest(boot, 5, ItemFilter.ALL));
			assertEquals(5, r.items().size());
			assertEquals(im.name(), r.modelVersion());
			assertTrue(r.exact(), "a few dozen items: exact search");
			assertFalse(ids(r).contains(boot), "the example is not its own answer");
			for (int i = 1; i < 5; i++) assertTrue(r.items().get(i - 1).score() >= r.items().get(i).score(), "best first: " + r.items());
			assertTrue(r.items().stream().allMatch(it -> it.roi() == null && it.imageId() > 0 && !it.imageName().isEmpty()));
			// k beyond the index gives every other image, and each slice of the volume
			assertEquals(imageItems(b) - 1, b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.ALL)).items().size(),
					"every image and slice embedded");

			// a sandal's nearest labelled images are mostly footwear
			Similar.Result labelled = b.similar(Similar.Query.nearest(img(b, "0008_sandal.png"), 3, ItemFilter.parse("status:accepted")));
			assertEquals(3, labelled.items().size());
			assertTrue(labelled.items().stream().allMatch(it -> "accepted".equals(it.status()) && it.label() != null && "human".equals(it.origin())
					&& "alice".equals(it.user())), labelled.items().toString());
			assertTrue(labelled.items().stream().filter(it -> it.label().equals("footwear")).count() >= 2, labelled.items().toString());

			// a ROI: its nearest are ROIs
			Annotation coin = b.annotations(image(b, "coins.png").id()).stream().filter(a -> a.data().status() == Status.ACCEPTED && a.data().geometry() != null)
					.findFirst().orElseThrow();
			Similar.Result rois = b.similar(Similar.Query.nearest(Similar.item(Similar.ROI, coin.id()), 4, ItemFilter.ALL));
			assertEquals(Task.ROI, rois.task());
			assertEquals(roi.name(), rois.modelVersion());
			assertEquals(4, rois.items().size());
			assertTrue(rois.items().stream().allMatch(it -> it.roi() != null && it.imageName().equals("coins.png")));

			// a deleted ROI is left out of answers and the map; undoing the deletion brings it back
			String nearest = rois.items().get(0).item();
			Annotation gone = b.annotation(Similar.parse(nearest).id()).orElseThrow();
			b.apply("delete", List.of(new Edit.Delete(gone.id(), gone.revision())));
			String coinItem = Similar.item(Similar.ROI, coin.id());
			assertFalse(ids(b.similar(Similar.Query.nearest(coinItem, 1000, ItemFilter.ALL))).contains(nearest));
			assertFalse(b.map(Task.ROI, Progress.NONE).points().stream().anyMatch(p -> p.item().equals(nearest)));
			b.undo();
			assertEquals(nearest, ids(b.similar(Similar.Query.nearest(coinItem, 4, ItemFilter.ALL))).get(0));
		}
	}

	@Test
	void retrainUpdatesItsEmbeddersIndexInPlaceWritingOnlyWhatChanged() {
		Path p = dir.resolve("p");
		try (LocalBackend b = trained(p)) {
			ModelVersion v1 = b.activeModel(Task.IMAGE).orElseThrow();
			ImageRecord bag = image(b, "0030_bag.png");
			b.apply("label a bag", List.of(new Edit.Create(bag.id(), AnnotationData.human(null, cls(b, "other"), "alice"))));
			b.addImages(List.of(TestData.path("mri/aal_axial_z100.png")), Progress.NONE);
			List<String> said = new ArrayList<>();
			b.retrain(TrainOptions.defaults(), new Progress() {
				@Override public void report(double fraction, String message) { said.add(message); }
				@Override public boolean isCancelled() { return false; }
			});
			ModelVersion v2 = b.activeModel(Task.IMAGE).orElseThrow();
			assertTrue(v2.id() != v1.id());
			assertEquals(ItemIndex.folderOf(p, v1), ItemIndex.folderOf(p, v2), "one index per embedder, shared by its versions");
			String line = said.stream().filter(m -> m.startsWith("Model " + v2.name() + ": ")).findFirst().orElseThrow(() -> new AssertionError(said));
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("updated the index of image-\\S+: (\\d+) new or changed, 0 gone").matcher(line);
			assertTrue(m.find(), line);
			int written = Integer.parseInt(m.group(1));
			// the new image and the bag's payload at least; far fewer than the project's images
			assertTrue(written >= 2 && written < b.images().size() / 2, line);
			// the index answers with the new image, and with the bag under its new class
			String atlas = img(b, "aal_axial_z100.png");
			String boot = img(b, "0000_ankle_boot.png");
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.ALL))).contains(atlas), "the new image is indexed");
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.parse("class:other")))).contains(img(b, "0030_bag.png")));
			assertEquals(imageItems(b) - 1, b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.ALL)).items().size(), "every image and slice, once");
		}
		try (ProjectEngine e = ProjectEngine.open(p)) {
			ModelVersion v2 = e.store().activeModel(Task.IMAGE).orElseThrow();
			ItemIndex.Update again = e.items().update(v2);
			assertEquals(new ItemIndex.Update(ItemIndex.space(v2), false, 0, 0), again, "nothing changed since: nothing written");
			try {
				Files.writeString(e.store().folder().resolve("index").resolve(ItemIndex.folderOf(p, v2).getFileName() + ".contents"), "damaged");
			} catch (java.io.IOException x) {
				throw new AssertionError(x);
			}
			ItemIndex.Update rebuilt = e.items().update(v2);
			int items = e.store().images().stream().mapToInt(im -> 1 + ItemPayloads.slices(im)).sum();
			assertTrue(rebuilt.built() && rebuilt.upserted() == items, "a damaged contents list: built again, " + rebuilt);
		}
	}

	@Test
	void payloadsFollowEveryLabelChangeUndoAndAReopenedProject() {
		Path p = dir.resolve("p");
		String trouser;
		try (LocalBackend b = trained(p)) {
			trouser = img(b, "0030_bag.png");
			String boot = img(b, "0000_ankle_boot.png");
			ItemFilter notReviewed = ItemFilter.parse("not reviewed");
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 1000, notReviewed))).contains(trouser), "unlabelled: not reviewed");
			ImageRecord bag = image(b, "0030_bag.png");
			b.apply("label a bag", List.of(new Edit.Create(bag.id(), AnnotationData.human(null, cls(b, "other"), "alice"))));
			assertFalse(ids(b.similar(Similar.Query.nearest(boot, 1000, notReviewed))).contains(trouser), "labelled now");
			Similar.Result other = b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.parse("class:other")));
			assertTrue(ids(other).contains(trouser), ids(other).toString());
			assertTrue(other.items().stream().allMatch(it -> it.label().equals("other")));
			b.undo();
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 1000, notReviewed))).contains(trouser), "undo is a label change too");
			assertFalse(ids(b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.parse("class:other")))).contains(trouser));
			// changed while the project is closed below
			b.apply("label a bag again", List.of(new Edit.Create(bag.id(), AnnotationData.human(null, cls(b, "other"), "alice"))));
		}
		try (LocalBackend b = LocalBackend.open(p, "bob")) {
			String boot = img(b, "0000_ankle_boot.png");
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 1000, ItemFilter.parse("class:other")))).contains(trouser), "refreshed after reopening");
			// a damaged or half-built index is rebuilt from the cached embeddings
			ModelVersion im = b.activeModel(Task.IMAGE).orElseThrow();
		}
		try (LocalBackend b = LocalBackend.open(p, "bob")) {
			ModelVersion im = b.activeModel(Task.IMAGE).orElseThrow();
			Path folder = ItemIndex.folderOf(p, im);
			try {
				Files.delete(folder.resolveSibling(folder.getFileName() + ".synced"));
			} catch (java.io.IOException e) {
				throw new AssertionError(e);
			}
			Similar.Result r = b.similar(Similar.Query.nearest(img(b, "0000_ankle_boot.png"), 1000, ItemFilter.ALL));
			assertEquals(imageItems(b) - 1, r.items().size(), "rebuilt with every image and slice");
			assertTrue(ids(b.similar(Similar.Query.nearest(img(b, "0000_ankle_boot.png"), 1000, ItemFilter.parse("class:other")))).contains(trouser));
		}
	}

	@Test
	void eachSliceOfAVolumeIsAnItemOfTheImageIndexAndTheMapButGetsNoClassOfItsOwn() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			ImageRecord vol = image(b, "ch2_crop.nii.gz");
			assertEquals(8, vol.slices());
			String slice4 = Similar.ItemRef.slice(vol.id(), 4).toString();
			assertEquals("slice:" + vol.id() + ":4", slice4);
			assertEquals(slice4, Similar.parse(" SLICE:" + vol.id() + ":4 ").toString());
			assertEquals("slice 4 of ch2_crop.nii.gz", Similar.describe(b, slice4));

			// a slice's nearest items are the neighbouring slices of its volume, named as slices
			Similar.Result r = b.similar(Similar.Query.nearest(slice4, 1000, ItemFilter.ALL));
			assertEquals(Task.IMAGE, r.task());
			List<String> found = ids(r);
			for (int z = 1; z <= 8; z++)
				if (z != 4) assertTrue(found.contains(Similar.ItemRef.slice(vol.id(), z).toString()), "slice " + z + " in " + found);
			assertTrue(found.contains(img(b, "0000_ankle_boot.png")) && found.contains(img(b, "ch2_crop.nii.gz")), "images too");
			Similar.Item first = r.items().get(0);
			Similar.ItemRef nearest = Similar.parse(first.item());
			assertTrue(nearest.isSlice() && Math.abs(nearest.z() - 4) == 1, "an adjacent slice first: " + found.subList(0, 4));
			assertEquals(vol.id(), first.imageId());
			assertNull(first.roi());
			assertEquals("ch2_crop.nii.gz", first.imageName());
			assertNull(first.label(), "a slice has no class of its own");
			// a filter on classes leaves slices out
			assertFalse(ids(b.similar(Similar.Query.nearest(slice4, 1000, ItemFilter.parse("status:accepted")))).stream().anyMatch(i -> i.startsWith("slice:")));

			// the map shows every slice, with the model's prediction of it
			List<Similar.Point> slices = b.map(Task.IMAGE, Progress.NONE).points().stream().filter(p -> p.item().startsWith("slice:")).toList();
			assertEquals(8, slices.size());
			assertTrue(slices.stream().allMatch(p -> p.imageId() == vol.id() && p.label() == null && p.predicted() != null && p.confidence() > 0), slices.toString());

			// a bulk label leaves slices out and says so; slices alone are refused
			String shirt = img(b, "0004_shirt.png");
			long before = b.annotations(vol.id()).size();
			Similar.BulkReport rep = b.bulkLabel(new Similar.BulkLabel(List.of(slice4, Similar.ItemRef.slice(vol.id(), 5).toString(), shirt), "top", true, "test"));
			assertEquals(2, rep.slices());
			assertTrue(rep.summary().contains("2 slice(s) left out"), rep.summary());
			assertEquals(before, b.annotations(vol.id()).size(), "nothing written on the volume");
			LabelLoopException only = assertThrows(LabelLoopException.class, () -> b.bulkLabel(new Similar.BulkLabel(List.of(slice4), "top", true, "test")));
			assertTrue(only.getMessage().contains("Slices get no class of their own"), only.getMessage());

			// bad slices say what is wrong
			LabelLoopException nine = assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest("slice:" + vol.id() + ":9", 3, ItemFilter.ALL)));
			assertEquals("No slice 9 in ch2_crop.nii.gz: it has 8 slice(s).", nine.getMessage());
			long flat = image(b, "coins.png").id();
			LabelLoopException twoD = assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest("slice:" + flat + ":1", 3, ItemFilter.ALL)));
			assertTrue(twoD.getMessage().contains("a 2D image is the item image:" + flat), twoD.getMessage());
			for (String bad : List.of("slice:" + vol.id(), "slice:" + vol.id() + ":0", "image:1:2"))
				assertTrue(assertThrows(LabelLoopException.class, () -> Similar.parse(bad)).getMessage().contains("slice:<image id>:<slice number>"), bad);
		}
	}

	@Test
	void recommendKeepsExamplesOutAndNegativesPushAlikeItemsDown() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			String sandal = img(b, "0008_sandal.png"), sneaker = img(b, "0009_sneaker.png"), boot = img(b, "0000_ankle_boot.png");
			Similar.Result plain = b.similar(Similar.Query.nearest(sandal, 1000, ItemFilter.ALL));
			int bootRank = ids(plain).indexOf(boot);
			for (String strategy : List.of(Similar.Query.AVERAGE_VECTOR, Similar.Query.BEST_SCORE)) {
				Similar.Result r = b.similar(new Similar.Query(List.of(sandal), List.of(boot), 1000, ItemFilter.ALL, strategy));
				assertFalse(ids(r).contains(sandal) || ids(r).contains(boot), "examples are never answers");
				assertEquals(imageItems(b) - 2, r.items().size());
				for (int i = 1; i < r.items().size(); i++) assertTrue(r.items().get(i - 1).score() >= r.items().get(i).score());
			}
			// best_score: an item more like the negative than the positive scores below every item closer to the positive
			Similar.Result best = b.similar(new Similar.Query(List.of(sandal), List.of(sneaker), 1000, ItemFilter.ALL, Similar.Query.BEST_SCORE));
			assertTrue(best.items().stream().anyMatch(it -> it.score() < 0) || best.items().stream().allMatch(it -> it.score() >= 0));
			// negatives only: "anything unlike these"
			Similar.Result unlike = b.similar(new Similar.Query(List.of(), List.of(boot), 3, ItemFilter.ALL, Similar.Query.BEST_SCORE));
			assertEquals(3, unlike.items().size());
			assertTrue(bootRank >= 0);
			LabelLoopException avg = assertThrows(LabelLoopException.class,
					() -> b.similar(new Similar.Query(List.of(), List.of(boot), 3, ItemFilter.ALL, Similar.Query.AVERAGE_VECTOR)));
			assertTrue(avg.getMessage().contains("best_score"), avg.getMessage());
		}
	}

	@Test
	void badInputSaysWhatIsWrongAndEmptyAnswersAreNormal() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			String boot = img(b, "0000_ankle_boot.png");
			LabelLoopException unknownClass = assertThrows(LabelLoopException.class,
					() -> b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("class:shoe"))));
			assertTrue(unknownClass.getMessage().contains("No class 'shoe'") && unknownClass.getMessage().contains("footwear, top, other, scan, coin, background"),
					unknownClass.getMessage());
			// a ROI drawn after the last Retrain
			ImageRecord coins = image(b, "coins.png");
			ChangeSet cs = b.apply("draw", List.of(new Edit.Create(coins.id(), AnnotationData.human(Geometry.rect(10, 10, 30, 30, null), cls(b, "coin"), "alice"))));
			long drawn = b.annotations(coins.id()).stream().mapToLong(Annotation::id).max().orElseThrow();
			LabelLoopException noEmbedding = assertThrows(LabelLoopException.class,
					() -> b.similar(Similar.Query.nearest(Similar.item(Similar.ROI, drawn), 5, ItemFilter.ALL)));
			assertTrue(noEmbedding.getMessage().contains("roi:" + drawn + "' has no embedding yet") && noEmbedding.getMessage().contains("Run Retrain"),
					noEmbedding.getMessage());
			assertNotNull(cs);
			// unknown items, malformed ids, mixed kinds, nothing asked
			assertTrue(assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest("roi:99999", 5, ItemFilter.ALL))).getMessage()
					.contains("No ROI 99999"));
			assertTrue(assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest("cell 5", 5, ItemFilter.ALL))).getMessage()
					.contains("image:<image id>, roi:<annotation id> or slice:<image id>:<slice number>"));
			assertTrue(assertThrows(LabelLoopException.class,
					() -> b.similar(new Similar.Query(List.of(boot), List.of("roi:" + drawn), 5, ItemFilter.ALL, null))).getMessage().contains("one kind"));
			assertThrows(LabelLoopException.class, () -> b.similar(new Similar.Query(List.of(), List.of(), 5, ItemFilter.ALL, null)));
			assertThrows(IllegalArgumentException.class, () -> Similar.Query.nearest(boot, 0, ItemFilter.ALL));
			// an unknown field is read as image metadata, and the project names the fields its images have
			assertTrue(assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("colour:red")))).getMessage()
					.matches("Unknown filter field 'colour': filter by class, status, origin or user, by the measurements area or mean \\(area>50\\), or by an image field: .*modality.*slices.*"));
			assertTrue(assertThrows(IllegalArgumentException.class, () -> ItemFilter.parse("nucleus")).getMessage().contains("'not reviewed', class:<name>"));
			assertTrue(assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("origin:robot")))).getMessage()
					.contains("Unknown origin 'robot'"));
			assertTrue(assertThrows(IllegalArgumentException.class, () -> new Similar.Query(List.of(boot), List.of(), 5, ItemFilter.ALL, "closest")).getMessage()
					.contains("average_vector or best_score"));
			// class names as users type them: any case, _ for a space
			assertEquals(5, b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("class:FOOTWEAR,Top"))).items().size());
			assertTrue(assertThrows(IllegalArgumentException.class, () -> b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("status:done")))).getMessage()
					.contains("Unknown status 'done'"));
			// empty answers are answers
			Similar.Result none = b.similar(Similar.Query.nearest(boot, 5, ItemFilter.parse("status:rejected")));
			assertTrue(none.items().isEmpty());
			assertTrue(none.message().contains("No image matches the filter [status:rejected]"), none.message());
		}
	}

	@Test
	void noModelYetSaysRetrainComputesTheEmbeddings() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> b.similar(Similar.Query.nearest(img(b, "0000_ankle_boot.png"), 5, ItemFilter.ALL)));
			assertTrue(e.getMessage().contains("No image model yet") && e.getMessage().contains("Retrain"), e.getMessage());
			assertTrue(b.mapNow(Task.IMAGE).isEmpty());
			assertThrows(LabelLoopException.class, () -> b.map(Task.IMAGE, Progress.NONE));
		}
	}

	@Test
	void bulkLabelsAreOneUndoableChangeSetOfNormalLabels() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			String boot = img(b, "0000_ankle_boot.png");
			Similar.Query q = Similar.Query.nearest(boot, 4, ItemFilter.notReviewedOnly());
			Similar.Result r = b.similar(q);
			assertEquals(4, r.items().size());
			List<String> found = ids(r);
			int changeSets = b.store().changeSets(1000).size();

			Similar.BulkReport weak = b.bulkLabel(new Similar.BulkLabel(found, "footwear", false, q.describe()));
			assertEquals(4, weak.labelled());
			assertEquals(changeSets + 1, b.store().changeSets(1000).size(), "one change set");
			for (String id : found) {
				Annotation a = imageLabel(b, b.image(Similar.parse(id).id()).name());
				assertEquals(cls(b, "footwear"), a.data().classId());
				assertEquals(Status.PROPOSED, a.data().status(), "weak: to review later");
				assertEquals("weak:like " + boot + " [not reviewed]", a.data().origin().toString());
			}
			// the weak labels are what "origin:weak" and "status:proposed" find, and still "not reviewed"
			Similar.Result weakOnes = b.similar(Similar.Query.nearest(boot, 100, ItemFilter.parse("origin:weak status:proposed class:footwear")));
			assertEquals(new HashSet<>(found), new HashSet<>(ids(weakOnes)));
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 100, ItemFilter.notReviewedOnly()))).containsAll(found));

			// accepted: human labels; undo takes back the whole bulk label, redo brings it back
			Similar.BulkReport accepted = b.bulkLabel(new Similar.BulkLabel(found, "footwear", true, q.describe()));
			assertEquals(4, accepted.labelled());
			for (String id : found) {
				Annotation a = imageLabel(b, b.image(Similar.parse(id).id()).name());
				assertEquals(Status.ACCEPTED, a.data().status());
				assertEquals("human:alice", a.data().origin().toString());
				assertEquals(3, b.history(a.id()).size() + 1, "create, accept: revisions");
			}
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 100, ItemFilter.notReviewedOnly()))).stream().noneMatch(found::contains));
			b.undo();
			for (String id : found) assertEquals(Status.PROPOSED, imageLabel(b, b.image(Similar.parse(id).id()).name()).data().status());
			b.undo();
			for (String id : found) assertNull(imageLabel(b, b.image(Similar.parse(id).id()).name()), "undo removes the weak labels too");
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 100, ItemFilter.notReviewedOnly()))).containsAll(found));
			b.redo();
			assertEquals(4, found.stream().filter(id -> imageLabel(b, b.image(Similar.parse(id).id()).name()) != null).count());
		}
	}

	@Test
	void weakLabelsNeverOverwriteAPersonsLabelAndBadItemsWriteNothing() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			String sandal = img(b, "0008_sandal.png"), trouser = img(b, "0002_trouser.png"), bag = img(b, "0030_bag.png");
			int changeSets = b.store().changeSets(1000).size();
			Similar.BulkReport r = b.bulkLabel(new Similar.BulkLabel(List.of(sandal, trouser, bag), "footwear", false, "test"));
			assertEquals(1, r.labelled(), "only the unlabelled bag");
			assertEquals(1, r.unchanged(), "the sandal is footwear already");
			assertEquals(1, r.kept(), "the trouser keeps alice's label");
			assertEquals(cls(b, "other"), imageLabel(b, "0002_trouser.png").data().classId());
			assertEquals(Status.ACCEPTED, imageLabel(b, "0002_trouser.png").data().status());

			// accepted bulk labels on ROIs: class and status, corrected where the model said otherwise
			List<Annotation> proposed = b.annotations(image(b, "coins.png").id()).stream().filter(a -> a.data().status() == Status.PROPOSED).toList();
			List<String> rois = proposed.stream().limit(3).map(a -> Similar.item(Similar.ROI, a.id())).toList();
			Similar.BulkReport bg = b.bulkLabel(new Similar.BulkLabel(rois, "background", true, "lasso"));
			assertEquals(3, bg.labelled());
			for (Annotation before : proposed.subList(0, 3)) {
				Annotation a = b.annotation(before.id()).orElseThrow();
				assertEquals(cls(b, "background"), a.data().classId());
				assertEquals(before.data().classId() == null || before.data().classId() == cls(b, "background") ? Status.ACCEPTED : Status.CORRECTED,
						a.data().status());
				assertEquals(before.data().geometry(), a.data().geometry(), "the shape stays");
			}

			int now = b.store().changeSets(1000).size();
			assertEquals(changeSets + 2, now);
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> b.bulkLabel(new Similar.BulkLabel(List.of(bag, "roi:99999"), "top", true, "x")));
			assertTrue(e.getMessage().contains("No ROI 99999"), e.getMessage());
			assertTrue(assertThrows(LabelLoopException.class, () -> b.bulkLabel(new Similar.BulkLabel(List.of(bag), "shoe", true, "x"))).getMessage()
					.contains("its classes are: footwear"));
			assertThrows(LabelLoopException.class, () -> b.bulkLabel(new Similar.BulkLabel(List.of(), "top", true, "x")));
			assertEquals(now, b.store().changeSets(1000).size(), "nothing written");
			assertEquals(cls(b, "footwear"), imageLabel(b, "0030_bag.png").data().classId());
		}
	}

	@Test
	void aLargeBulkLabelOfImagesAndRoisIsOneChangeSetAndOneUndo() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			List<String> all = new ArrayList<>();
			for (ImageRecord im : b.images()) all.add(Similar.item(Similar.IMAGE, im.id()));
			List<Annotation> rois = b.store().allAnnotations().stream().filter(a -> !a.data().isImageLevel()).toList();
			for (Annotation a : rois) all.add(Similar.item(Similar.ROI, a.id()));
			assertTrue(all.size() > 50, "the path that reads the store once: " + all.size());
			long undecidedImages = b.images().stream().filter(im -> imageLabel(b, im.name()) == null).count();
			long undecidedRois = rois.stream().filter(a -> !Labels.isLabel(a)).count();
			int before = b.store().changeSets(1000).size();
			Similar.BulkReport r = b.bulkLabel(new Similar.BulkLabel(all, "other", false, "everything"));
			assertEquals(undecidedImages + undecidedRois, r.labelled());
			assertEquals(all.size(), r.labelled() + r.unchanged() + r.kept());
			assertEquals(before + 1, b.store().changeSets(1000).size());
			b.undo();
			assertEquals(undecidedImages, b.images().stream().filter(im -> imageLabel(b, im.name()) == null).count());
			for (Annotation a : rois) assertEquals(a.data(), b.annotation(a.id()).orElseThrow().data(), "undo restores every ROI");
		}
	}

	@Test
	void acceptedBulkLabelsAreInTheReviewFlowAndWeakRoiLabelsSurviveRetrain() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			// footwear wrongly labelled "top" in bulk: three labelled ones (corrected) and an unlabelled one
			List<String> wrong = new ArrayList<>();
			for (String n : List.of("0008_sandal.png", "0011_sandal.png", "0012_sneaker.png", "0023_ankle_boot.png")) wrong.add(img(b, n));
			Similar.BulkReport r = b.bulkLabel(new Similar.BulkLabel(wrong, "top", true, "test"));
			assertEquals(wrong.size(), r.labelled());
			assertEquals(Status.CORRECTED, imageLabel(b, "0008_sandal.png").data().status());
			assertEquals(Status.ACCEPTED, imageLabel(b, "0023_ankle_boot.png").data().status());
			List<Annotation> proposed = b.annotations(image(b, "coins.png").id()).stream().filter(a -> a.data().status() == Status.PROPOSED).toList();
			String weakRoi = Similar.item(Similar.ROI, proposed.get(0).id());
			b.bulkLabel(new Similar.BulkLabel(List.of(weakRoi), "background", false, "test"));
			b.retrain(TrainOptions.defaults(), Progress.NONE);
			Set<Long> issues = new HashSet<>();
			for (Review.Issue i : b.labelIssues(Task.IMAGE)) issues.add(i.imageId());
			long flagged = wrong.stream().filter(id -> issues.contains(Similar.parse(id).id())).count();
			assertTrue(flagged >= 1, "bulk labels are reviewed like any label: " + flagged + " of " + wrong + " in " + issues);
			Annotation a = b.annotation(proposed.get(0).id()).orElseThrow();
			assertEquals(cls(b, "background"), a.data().classId(), "the model does not overwrite a weak label given by a person");
			assertEquals(Status.PROPOSED, a.data().status());
			assertTrue(b.store().prediction(b.activeModel(Task.ROI).orElseThrow().id(), Target.annotation(a.id())).isPresent(), "still predicted");
		}
	}

	@Test
	void theMapPlacesEveryIndexedItemIsCachedAndShowsTheOldLayoutUntilTheNewOne() {
		try (LocalBackend b = trained(dir.resolve("p"))) {
			Similar.MapLayout m = b.map(Task.IMAGE, Progress.NONE);
			assertEquals(imageItems(b), m.points().size(), "every image and slice");
			assertTrue(m.current());
			assertEquals("umap", m.method());
			assertTrue(m.points().stream().allMatch(p -> Float.isFinite(p.x()) && Float.isFinite(p.y()) && p.predicted() != null && p.confidence() > 0));
			Similar.Point sandal = m.points().stream().filter(p -> p.item().equals(img(b, "0008_sandal.png"))).findFirst().orElseThrow();
			assertEquals("footwear", sandal.label());
			assertEquals("accepted", sandal.status());
			assertEquals(m.points(), b.mapNow(Task.IMAGE).orElseThrow().points(), "cached");
			Similar.MapLayout rois = b.map(Task.ROI, Progress.NONE);
			assertTrue(rois.points().stream().allMatch(p -> p.item().startsWith("roi:")));

			// a new version without a map yet: the old layout meanwhile, marked not current
			ModelVersion old = b.activeModel(Task.IMAGE).orElseThrow();
			ModelVersion v = b.store().startModel(Task.IMAGE, "alice", "test-embedder", "none", old.classIds(), 0);
			b.store().finishModel(v.id(), Map.of(), List.of(), "alice", List.of());
			Similar.MapLayout meanwhile = b.mapNow(Task.IMAGE).orElseThrow();
			assertFalse(meanwhile.current());
			assertEquals(old.name(), meanwhile.modelVersion());
		}
	}

	@Test
	void aMapOfOneItemIsOnePointAtTheOrigin() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			ImageRecord one = image(b, "0000_ankle_boot.png");
			b.store().putEmbeddings("test-embedder", Map.of(Target.image(one.id()), new float[] { 1, 2, 3 }), Map.of(Target.image(one.id()), one.sha256()));
			ModelVersion v = b.store().startModel(Task.IMAGE, "alice", "test-embedder", "none", List.of(cls(b, "top"), cls(b, "other")), 0);
			b.store().finishModel(v.id(), Map.of(), List.of(), "alice", List.of());
			Similar.MapLayout m = b.map(Task.IMAGE, Progress.NONE);
			assertEquals(1, m.points().size());
			assertEquals("single", m.method());
			assertEquals(0, m.points().get(0).x());
			assertEquals(0, m.points().get(0).y());
			assertTrue(Double.isNaN(m.points().get(0).confidence()), "no prediction");
			// its only item has no neighbours: an empty answer, not an error
			Similar.Result r = b.similar(Similar.Query.nearest(Similar.item(Similar.IMAGE, one.id()), 5, ItemFilter.ALL));
			assertTrue(r.items().isEmpty());
			assertFalse(r.message().isEmpty());
		}
	}

	@Test
	void aQdrantServerThatIsDownGivesAClearMessageAndLocalWorkGoesOn() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			TrainerTest.labelImages(b, IMAGE_LABELS);
			assertThrows(IllegalArgumentException.class, () -> b.setVectorServer("not a server"));
			b.setVectorServer("http://127.0.0.1:1"); // nothing listens on port 1
			assertEquals("http://127.0.0.1:1", b.vectorServer().orElseThrow());
			TrainReport r = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			assertTrue(r.model(Task.IMAGE).isPresent(), "Retrain does not depend on the index server");
			String boot = img(b, "0000_ankle_boot.png");
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest(boot, 5, ItemFilter.ALL)));
			assertTrue(e.getMessage().contains("Qdrant at http://127.0.0.1:1") && e.getMessage().contains("unreachable"), e.getMessage());
			// labelling goes on; back on the embedded index everything is found
			ImageRecord bag = image(b, "0030_bag.png");
			b.apply("label a bag", List.of(new Edit.Create(bag.id(), AnnotationData.human(null, cls(b, "other"), "alice"))));
			b.setVectorServer(null);
			assertTrue(b.vectorServer().isEmpty());
			assertTrue(ids(b.similar(Similar.Query.nearest(boot, 100, ItemFilter.parse("class:other")))).contains(img(b, "0030_bag.png")));
		}
	}

	@Test
	void filterTextRoundTrips() {
		ItemFilter f = ItemFilter.parse("not reviewed class:nucleus,\"Mitosis, late\" status:proposed origin:weak user:ann");
		assertTrue(f.notReviewed());
		assertEquals(List.of("nucleus", "Mitosis, late"), f.classes());
		assertEquals(List.of("proposed"), f.statuses());
		assertEquals(List.of("weak"), f.origins());
		assertEquals(List.of("ann"), f.users());
		assertEquals(f, ItemFilter.parse(f.toString()));
		assertTrue(ItemFilter.parse("  ").isAll());
		assertEquals(ItemFilter.notReviewedOnly(), ItemFilter.parse("unreviewed"));
	}
}
