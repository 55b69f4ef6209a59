package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

/**
 * Plugins>LabelLoop>Similar Items...: the items most like the current image or selected ROI (unlike the negatives),
 * in the Similar Items window; with {@code label=<class>} (or headless) the answer is labelled in bulk without a
 * window, {@code as=weak} or {@code as=accepted}.
 */
public class SimilarItems extends LabelLoopCommand {

	@Override protected String title() { return "Similar Items"; }

	@Override protected Class<?> needs() { return Backend.Similarity.class; }

	@Override
	protected void run(LabelLoopSession session) {
		session.backend();
		Dialog d = new Dialog(title()).addString("Item", SimilarCommands.currentItem(session)).addString("Negative", "").addNumber("K", 24)
				.addString("Filter", "").addChoice("Strategy", List.of("average_vector", "best_score"), "average_vector")
				.addString("Label", "").addChoice("As", List.of("weak", "accepted"), "weak");
		if (!d.show()) return;
		SimilarCommands.similar(session, d.get("item"), d.get("negative"), (int) d.number("k"), d.get("filter"), d.get("strategy"), d.get("label"),
				d.get("as").equals("accepted"));
	}
}
