package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Similar;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Target;

import ij.IJ;
import ij.text.TextWindow;

/**
 * Plugins>LabelLoop>Comments: lists open threads — {@code show=for-me} (flags on labels I made), {@code by-me}
 * (threads I started), {@code all} — with their replies, in a text window (the log when headless);
 * {@code resolve=<thread id>} resolves a thread ({@code reopen=yes} opens it again). A thread changed by someone else
 * since it was listed ({@code revision=} as listed; 0 = as it is now) is a conflict, not overwritten.
 */
public class Comments extends LabelLoopCommand {

	public static final String WINDOW = "LabelLoop comments";

	@Override protected String title() { return "Comments"; }

	@Override protected Class<?> needs() { return Backend.Comments.class; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Show", List.of("for-me", "by-me", "all"), "for-me")
				.addNumber("Resolve thread (0 = none)", 0).addNumber("Revision seen (0 = current)", 0).addYesNo("Reopen", false);
		if (!d.show()) return;
		Backend.Comments b = session.require(Backend.Comments.class);
		long resolve = (long) d.number("resolve");
		if (resolve > 0) {
			long seen = (long) d.number("revision");
			Comment t = b.threads(false).stream().filter(c -> c.id() == resolve).findFirst()
					.orElseThrow(() -> new LabelLoopException("No thread " + resolve + "."));
			Comment done = b.setResolved(resolve, seen > 0 ? seen : t.revision(), !d.yes("reopen"));
			info("thread " + resolve + (done.open() ? " reopened" : " resolved") + " by " + b.user() + " (" + b.role().key() + ")");
			session.refreshCurrent();
		}
		String me = b.user();
		Predicate<Comment> which = switch (d.get("show")) {
			case "by-me" -> t -> me.equals(t.author());
			case "all" -> t -> true;
			default -> t -> t.isFlag() && !me.equals(t.author()) && labelledBy(b, t, me);
		};
		List<Comment> threads = b.threads(true).stream().filter(which).toList();
		StringBuilder text = new StringBuilder();
		for (Comment t : threads) {
			String on = on(b, t.target());
			text.append(line(t, "#" + t.id() + " rev " + t.revision(), on)).append('\n');
			for (Comment r : b.comments(t.target()))
				if (t.id() == (r.parentId() == null ? -1 : r.parentId())) text.append(line(r, "    ↳ " + r.id(), on)).append('\n');
		}
		info(threads.size() + " open thread(s) " + d.get("show"));
		if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) {
			for (String l : text.toString().split("\n")) if (!l.isEmpty()) IJ.log("  " + l);
		} else {
			java.awt.Frame old = ij.WindowManager.getFrame(WINDOW);
			if (old instanceof TextWindow tw) tw.close();
			new TextWindow(WINDOW, "thread\tkind\ton\tauthor\ttime\ttext", text.toString().replace(" | ", "\t"), 700, 300);
		}
	}

	/** What a thread is on, by name: {@code coins.png}, {@code ROI 12 on coins.png}, {@code slice 57 of ct.nii}. */
	private static String on(Backend b, Target t) {
		return Similar.describe(b, Similar.ItemRef.of(t).toString());
	}

	private static String line(Comment c, String id, String on) {
		return String.format(Locale.ROOT, "%s | %s | %s | %s | %s | %s", id, c.kind().key(), on, c.author(),
				c.time().toString().substring(0, 16).replace('T', ' '), c.text().replace('\n', ' ').replace('\t', ' '));
	}

	/** Whether the flagged item holds a label of {@code user}: the annotation, or an image label of the image. */
	private static boolean labelledBy(Backend b, Comment t, String user) {
		if (!t.target().isImage()) return b.annotation(t.target().id()).map(a -> madeBy(a, user)).orElse(false);
		return b.annotations(t.target().id()).stream().anyMatch(a -> madeBy(a, user));
	}

	private static boolean madeBy(Annotation a, String user) {
		return user.equals(a.author()) || (a.data().origin().isHuman() && user.equals(a.data().origin().source()));
	}
}
