package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.Images;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/** Another labeller's label and flag appear on the image shown here at the next poll (headless, real server). */
class LiveUpdatesTest {

	@TempDir
	Path tmp;

	private static long ours(ImagePlus imp) {
		Overlay o = imp.getOverlay();
		if (o == null) return 0;
		long n = 0;
		for (Roi r : o.toArray()) if (r.getProperty(AnnotationView.ID) != null) n++;
		return n;
	}

	/** The image as Next Image shows it: opened, linked to the project, with its annotations drawn. */
	private static ImagePlus shown(org.labelloop.backend.Backend b, long img) {
		ImagePlus imp = Images.open(b.imageFile(img));
		imp.setProperty(LabelLoopSession.IMAGE_ID, img);
		imp.setProperty(LabelLoopSession.PROJECT, b.location());
		AnnotationView.refresh(imp, b);
		return imp;
	}

	@Test
	void othersLabelsAndFlagsAppearAtTheNextPoll() throws Exception {
		Path p = tmp.resolve("live");
		Files.createDirectories(p);
		Files.copy(TestData.path("microscopy/cell.png"), p.resolve("cell.png"));
		String ann, bob;
		try (LocalBackend b = LocalBackend.create(p, "live", "ann")) {
			b.addImages(List.of(p), Progress.NONE);
			b.addClass("cell", null, "1");
			ann = Tokens.addUser(b.store(), "ann", Role.LABELLER, "setup");
			bob = Tokens.addUser(b.store(), "bob", Role.RESEARCHER, "setup");
		}
		try (LabServer server = LabServer.start(p, LabServer.Config.loopback(0));
				RemoteBackend annB = RemoteBackend.connect(server.url(), "ann", ann, tmp.resolve("cache"), Duration.ofSeconds(20));
				RemoteBackend bobB = RemoteBackend.connect(server.url(), "bob", bob, tmp.resolve("cache"), Duration.ofSeconds(20))) {
			long img = annB.images().get(0).id();
			ImagePlus imp = shown(annB, img);
			ProjectView view = new ProjectView(annB);
			LiveUpdates live = new LiveUpdates(annB, () -> imp);
			view.subscribe(live);
			assertNull(view.refresh(), "nothing changed yet");
			assertEquals(0, live.redraws());
			assertEquals(0, ours(imp));

			annB.apply("mine", List.of(new Edit.Create(img, AnnotationData.human(Geometry.rect(1, 1, 5, 5, Plane.ALL), null, "ann"))));
			assertNotNull(view.refresh(), "the view sees my change");
			assertEquals(0, live.redraws(), "my own change needs no redraw (my command drew it)");

			bobB.apply("bob's", List.of(new Edit.Create(img, AnnotationData.human(Geometry.oval(10, 10, 8, 8, Plane.ALL), bobB.classes().get(0).id(), "bob"))));
			view.refresh();
			assertEquals(1, live.redraws(), "bob's label is drawn");
			assertEquals(2, ours(imp));

			bobB.addComment(Target.image(img), null, Comment.Kind.QUESTION_LABEL, "is this right?");
			assertTrue(view.refresh().threads());
			assertEquals(2, live.redraws(), "a new flag redraws");
			assertNull(view.refresh());
			assertEquals(2, live.redraws());

			bobB.addClass("nucleus", null, "2");
			assertTrue(view.refresh().classes());
			assertEquals(List.of("cell", "nucleus"), view.classes().stream().map(c -> c.name()).toList(), "hotkeys see the new class");
		}
	}

	/**
	 * Under Share Project the Fiji user's project is local: its view follows the same change feed, so a server user's
	 * label appears on the Fiji user's image too.
	 */
	@Test
	void aLocalProjectSharedWithServerUsersFollowsTheirChanges() throws Exception {
		Path p = tmp.resolve("shared");
		Files.createDirectories(p);
		Files.copy(TestData.path("microscopy/cell.png"), p.resolve("cell.png"));
		try (LocalBackend ann = LocalBackend.create(p, "shared", "ann")) {
			ann.addImages(List.of(p), Progress.NONE);
			long cell = ann.addClass("cell", null, "1").id();
			String bob = Tokens.addUser(ann.store(), "bob", Role.LABELLER, "ann");
			long img = ann.images().get(0).id();
			ImagePlus imp = shown(ann, img);
			ProjectView view = new ProjectView(ann);
			LiveUpdates live = new LiveUpdates(ann, () -> imp);
			view.subscribe(live);
			try (LabServer server = LabServer.share(ann.engine(), LabServer.Config.loopback(0));
					RemoteBackend bobB = RemoteBackend.connect(server.url(), "bob", bob, tmp.resolve("cache"), Duration.ofSeconds(20))) {
				bobB.apply("bob's", List.of(new Edit.Create(img, AnnotationData.human(Geometry.oval(10, 10, 8, 8, Plane.ALL), cell, "bob"))));
				view.refresh();
				assertEquals(1, live.redraws());
				assertEquals(1, ours(imp), "bob's label is on ann's image");
			}
		}
	}
}
