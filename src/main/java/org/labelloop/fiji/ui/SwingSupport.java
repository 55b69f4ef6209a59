package org.labelloop.fiji.ui;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.swing.JButton;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;

/** What the windows share: named buttons, and work off the event thread. */
final class SwingSupport {

	private SwingSupport() {
	}

	/** A button named {@code name} (tests find it by name) that runs {@code action}. */
	static JButton button(String text, String name, Runnable action) {
		JButton b = new JButton(text);
		b.setName(name);
		b.addActionListener(e -> action.run());
		return b;
	}

	/**
	 * Runs {@code work} in a {@link SwingWorker}, counted in {@code running} while it runs (a window is idle at 0); a
	 * user error's message goes to {@code error} on the event thread.
	 */
	static void background(AtomicInteger running, Runnable work, Consumer<String> error) {
		running.incrementAndGet();
		new SwingWorker<Void, Void>() {
			@Override
			protected Void doInBackground() {
				try {
					work.run();
				} catch (RuntimeException e) {
					String m = e.getMessage() == null ? e.toString() : e.getMessage();
					SwingUtilities.invokeLater(() -> error.accept(m));
				}
				return null;
			}

			@Override
			protected void done() {
				running.decrementAndGet();
			}
		}.execute();
	}
}
