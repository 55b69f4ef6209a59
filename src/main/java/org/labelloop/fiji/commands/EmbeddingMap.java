package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

import org.labelloop.fiji.ui.EmbeddingMapWindow;

/** Plugins>LabelLoop>Embedding Map: every item of the active model as a 2D map to explore, lasso and label. */
public class EmbeddingMap extends LabelLoopCommand {

	@Override protected String title() { return "Embedding Map"; }

	@Override protected Class<?> needs() { return Backend.Similarity.class; }

	@Override
	protected void run(LabelLoopSession session) {
		session.backend();
		Dialog d = new Dialog(title()).addChoice("Task", List.of("image", "roi"), "image").addChoice("Colour", EmbeddingMapWindow.COLOURINGS, "class")
				.addString("Filter", "");
		if (!d.show()) return;
		SimilarCommands.map(session, Task.parse(d.get("task")), d.get("colour"), d.get("filter"));
	}
}
