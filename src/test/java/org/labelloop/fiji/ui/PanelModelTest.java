package org.labelloop.fiji.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.labelloop.backend.ProjectProgress;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Task;

/** The panel's presenter turns ProjectProgress and the shown image into rows and lines, without a display. */
class PanelModelTest {

	static final ProjectProgress PROGRESS = new ProjectProgress(40, 12, 5, 3, 2,
			List.of(new ProjectProgress.ClassCount(1, "coin", "#e6194b", "c", 9), new ProjectProgress.ClassCount(2, "background", "#2f80ed", "b", 3)),
			List.of(new ProjectProgress.ModelState(Task.IMAGE, "v2", 30, 0.8333, 12), new ProjectProgress.ModelState(Task.ROI, "v1", 8, null, 3),
					new ProjectProgress.ModelState(Task.SEGMENTATION, "v1", 4, null, 0, 0.9129)));

	@Test
	void progressModelsAndCommentsComeFromProjectProgress() {
		PanelModel m = PanelModel.of(PROGRESS, "coin");
		assertEquals(List.of(new PanelModel.ClassRow("coin", "#e6194b", "c", 9, true), new PanelModel.ClassRow("background", "#2f80ed", "b", 3, false)),
				m.classes());
		assertEquals("12 of 40 images labelled \u00b7 28 remaining \u00b7 5 proposals to review", m.progress());
		assertEquals(List.of("image model v2: out-of-fold accuracy 0.83, trained on 30 labels \u00b7 12 new labels: retrain recommended",
				"roi model v1: no out-of-fold accuracy, trained on 8 labels \u00b7 3 new labels; retrain recommended after 10",
				"seg model v1: out-of-fold Dice 0.91, trained on 4 labels \u00b7 0 new labels; retrain recommended after 10"), m.models());
		assertTrue(m.retrain(), "12 new image labels ≥ " + ProjectProgress.RETRAIN_AFTER);
		assertEquals("2 open comments for you (3 open in all)", m.comments());
		assertEquals("", m.image());
		assertEquals(List.of(), m.labels());
	}

	@Test
	void theShownImagesLabelsBecomeRowsWithoutTheRejected() {
		Instant t = Instant.parse("2026-12-05T12:00:00Z");
		Annotation proposal = new Annotation(7, 3, 1, new AnnotationData(Geometry.rect(1, 2, 3, 4, null), 1L, Origin.model("v1"), Status.PROPOSED, 0.724, Map.of()), "model", t);
		Annotation mine = new Annotation(8, 3, 2, AnnotationData.human(null, 2L, "ann"), "ann", t);
		Annotation rejected = new Annotation(9, 3, 2, new AnnotationData(Geometry.rect(5, 5, 3, 3, null), null, Origin.model("v1"), Status.REJECTED, 0.3, Map.of()), "ann", t);
		PanelModel.Shown shown = new PanelModel.Shown("coins.png", "model v2: coin 0.72", "entropy 0.69 \u2014 rank 1 of 28 unlabelled",
				List.of(proposal, mine, rejected), Map.of(1L, "coin", 2L, "background"));
		PanelModel m = PanelModel.of(PROGRESS, shown, null);
		assertEquals("coins.png", m.image());
		assertEquals("model v2: coin 0.72", m.prediction());
		assertEquals("entropy 0.69 \u2014 rank 1 of 28 unlabelled", m.reason());
		assertEquals(List.of(new PanelModel.LabelRow(7, "rect", "coin", "proposed", "0.72", "model:v1"),
				new PanelModel.LabelRow(8, "image", "background", "accepted", "", "human:ann")), m.labels());
		assertEquals(1, m.rowOf(8));
		assertEquals(-1, m.rowOf(9), "rejected annotations are not drawn, so not listed");
		assertTrue(m.classes().stream().noneMatch(PanelModel.ClassRow::current));
	}

	@Test
	void withoutProgressOrModelsItSaysSo() {
		PanelModel none = PanelModel.of(null, null);
		assertEquals("Progress is not available for this project.", none.progress());
		assertFalse(none.retrain());
		PanelModel fresh = PanelModel.of(new ProjectProgress(3, 0, 0, 0, 0, List.of(), List.of()), null);
		assertEquals(List.of("image model: none yet (label some items, then Retrain)", "roi model: none yet (label some items, then Retrain)",
				"seg model: none yet (paint masks, then Retrain)"), fresh.models());
		assertEquals("0 of 3 images labelled \u00b7 3 remaining \u00b7 0 proposals to review", fresh.progress());
	}

	@Test
	void buttonsRecordTheMenuCommandsLine() {
		assertEquals("run(\"Next Image\", \"strategy=entropy\");\n", LabelLoopPanel.macroLine("Next Image", "strategy=entropy"));
		assertEquals("run(\"Accept All\");\n", LabelLoopPanel.macroLine("Accept All", ""));
	}
}
