package org.labelloop.fiji.ui;

import javax.swing.JButton;

/** The windows' buttons: named, so tests find them, and running an action. */
final class Buttons {

	private Buttons() {
	}

	static JButton button(String text, String name, Runnable action) {
		JButton b = new JButton(text);
		b.setName(name);
		b.addActionListener(e -> action.run());
		return b;
	}
}
