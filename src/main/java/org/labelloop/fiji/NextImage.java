package org.labelloop.fiji;

import java.util.List;
import java.util.Locale;

import org.labelloop.backend.NextMode;

/** Plugins>LabelLoop>Next Image: saves pending edits, then shows the next image with its annotations. */
public class NextImage extends LabelLoopCommand {

	@Override protected String title() { return "Next Image"; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.backend();
		Dialog d = new Dialog(title()).addChoice("Mode", List.of("sequential", "unlabelled", "random"), "sequential");
		if (!d.show()) return;
		Long current = SaveLabels.savePending(session);
		var next = backend.next(current, NextMode.valueOf(d.get("mode").toUpperCase(Locale.ROOT)));
		if (next.isEmpty()) info("no " + d.get("mode") + " image left");
		else session.show(next.get());
	}
}
