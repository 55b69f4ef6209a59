package org.labelloop.fiji;

import java.awt.Component;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.util.List;
import java.util.Optional;

import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;

import ij.ImagePlus;
import ij.gui.ImageWindow;
import ij.plugin.frame.Recorder;

/**
 * Per-class hotkeys on a LabelLoop image: pressing a class's key (no modifier) sets the class of the selected ROI,
 * through the same code as Set Class, and records {@code run("Set Class", "class=[name]");} when the recorder is
 * on. The key is consumed, so it does not also run an ImageJ shortcut on the same letter. Keys that are no class's
 * hotkey go to ImageJ as before.
 */
public final class ClassHotkeys implements KeyListener {

	private final ImagePlus imp;

	private ClassHotkeys(ImagePlus imp) {
		this.imp = imp;
	}

	/** Listens to the image's canvas and window, ahead of ImageJ's own shortcut listener. */
	public static void attach(ImagePlus imp) {
		ImageWindow win = imp.getWindow();
		if (win == null) return;
		ClassHotkeys keys = new ClassHotkeys(imp);
		install(win.getCanvas(), keys);
		install(win, keys);
	}

	private static void install(Component c, ClassHotkeys keys) {
		if (c == null) return;
		KeyListener[] listeners = c.getKeyListeners();
		for (KeyListener l : listeners)
			if (l instanceof ClassHotkeys) return;
		// listeners run in the order added: ImageJ's goes after ours, and skips consumed events
		for (KeyListener l : listeners) c.removeKeyListener(l);
		c.addKeyListener(keys);
		for (KeyListener l : listeners) c.addKeyListener(l);
	}


	/** The class whose hotkey is {@code key}, if any. */
	static Optional<LabelClass> classFor(List<LabelClass> classes, char key) {
		for (LabelClass c : classes)
			if (c.hotkey().length() == 1 && c.hotkey().charAt(0) == key) return Optional.of(c);
		return Optional.empty();
	}

	@Override
	public void keyPressed(KeyEvent e) {
		if (e.isConsumed() || e.isControlDown() || e.isAltDown() || e.isMetaDown()) return;
		char key = e.getKeyChar();
		if (key == KeyEvent.CHAR_UNDEFINED || Character.isISOControl(key)) return;
		LabelLoopSession session = LabelLoopSession.get();
		if (!session.isOpen() || LabelLoopSession.imageId(imp) == null) return;
		// the view's snapshot: a key press never waits for the project on the event thread
		List<LabelClass> classes;
		try {
			classes = session.view().classes();
		} catch (LabelLoopException closing) {
			return; // the project closed between the check and now: the key is ImageJ's
		}
		Optional<LabelClass> c = classFor(classes, key);
		if (c.isEmpty()) return;
		e.consume();
		String name = c.get().name();
		if (Recorder.record) Recorder.recordString("run(\"Set Class\", \"class=[" + name + "]\");\n");
		// off the event thread, as ImageJ runs menu commands
		Thread t = new Thread(() -> {
			try {
				RoiEdits.setClass(session, imp, name);
			} catch (LabelLoopException | IllegalArgumentException ex) {
				LabelLoopCommand.error("Set Class", ex.getMessage());
			}
		}, "LabelLoop hotkey " + key);
		t.start();
	}

	@Override
	public void keyTyped(KeyEvent e) {
	}

	@Override
	public void keyReleased(KeyEvent e) {
	}
}
