package org.labelloop.fiji.ui;

import java.awt.Component;
import java.util.List;
import java.util.function.Consumer;

import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Similar;
import org.labelloop.core.model.Comment;

/**
 * Raising flags ({@code question-label} threads) on items chosen in a window — the gallery's selection, the map's
 * lasso — so a researcher can question labels where they see them. The labeller finds them in Comments.
 */
public final class Flags {

	private Flags() {
	}

	/**
	 * Starts a {@code question-label} thread on each item ({@code image:<id>}, {@code roi:<annotation id>} or
	 * {@code slice:<image id>:<z>}) with the
	 * same question; returns how many were raised.
	 */
	public static int raise(Backend.Comments backend, List<String> items, String question) {
		if (question == null || question.isBlank()) throw new IllegalArgumentException("A flag needs a question.");
		int n = 0;
		for (String item : items) {
			Similar.ItemRef ref = Similar.parse(item);
			backend.addComment(ref.target(), null, Comment.Kind.QUESTION_LABEL, question.strip());
			n++;
		}
		return n;
	}

	/** Asks for the question (on the event thread), then raises the flags in the background and reports to {@code status}. */
	static void ask(Component parent, Backend.Comments backend, List<String> items, Consumer<String> status) {
		if (items.isEmpty()) {
			status.accept("Select items first, then Flag… asks the labeller about them.");
			return;
		}
		String q = JOptionPane.showInputDialog(parent, "Question to the labeller about " + items.size() + " item(s):", "Flag label(s)",
				JOptionPane.QUESTION_MESSAGE);
		if (q == null || q.isBlank()) return;
		new SwingWorker<Integer, Void>() {
			@Override
			protected Integer doInBackground() {
				return raise(backend, items, q);
			}

			@Override
			protected void done() {
				try {
					status.accept(get() + " flag(s) raised: " + q.strip());
				} catch (Exception e) {
					Throwable c = e.getCause() == null ? e : e.getCause();
					SwingUtilities.invokeLater(() -> status.accept(c.getMessage() == null ? c.toString() : c.getMessage()));
				}
			}
		}.execute();
	}
}
