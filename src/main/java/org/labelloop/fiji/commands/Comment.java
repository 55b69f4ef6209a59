package org.labelloop.fiji.commands;

import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

import java.util.List;

import org.labelloop.backend.Backend;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Target;

import ij.ImagePlus;
import ij.gui.Roi;

/**
 * Plugins>LabelLoop>Comment: a comment on the selected annotation, or on the current image when no annotation is
 * selected. {@code kind=note|question-label|review} ({@code question-label} is a flag on the label, shown with
 * {@value AnnotationView#FLAG_MARK} in the overlay until resolved); {@code reply=<thread id>} answers a thread
 * instead of starting one.
 */
public class Comment extends LabelLoopCommand {

	@Override protected String title() { return "Comment"; }

	@Override protected Class<?> needs() { return Backend.Comments.class; }

	@Override
	protected void run(LabelLoopSession session) {
		ImagePlus imp = session.currentImage();
		Dialog d = new Dialog(title()).addChoice("Kind", List.of("note", "question-label", "review"), "question-label")
				.addString("Text", "").addNumber("Reply to thread (0 = new)", 0);
		if (!d.show()) return;
		Backend.Comments b = session.require(Backend.Comments.class);
		long reply = (long) d.number("reply");
		Target target = target(session, imp, reply);
		var c = b.addComment(target, reply > 0 ? reply : null, org.labelloop.core.model.Comment.Kind.parse(d.get("kind")), d.required("text"));
		info((reply > 0 ? "reply " + c.id() + " in thread " + reply : c.kind().key() + " thread " + c.id()) + " on " + target.kind() + " "
				+ target.id() + " by " + c.author() + " (" + b.role().key() + ")");
		session.refreshCurrent();
	}

	/** A reply goes on its thread's item; else the selected annotation, else the image. */
	private static Target target(LabelLoopSession session, ImagePlus imp, long reply) {
		Backend.Comments b = session.require(Backend.Comments.class);
		if (reply > 0)
			return b.threads(false).stream().filter(t -> t.id() == reply).findFirst()
					.orElseThrow(() -> new LabelLoopException("No thread " + reply + ": see Comments for the thread ids.")).target();
		for (Roi r : new RoiEdits(b, imp).selected()) {
			Object id = r.getProperty(AnnotationView.ID);
			if (id != null) return Target.annotation(Long.parseLong(id.toString()));
		}
		return Target.image(LabelLoopSession.imageId(imp));
	}
}
