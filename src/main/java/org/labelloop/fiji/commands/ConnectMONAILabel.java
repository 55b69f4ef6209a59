package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;

import org.labelloop.backend.monai.MonaiLabelBackend;
import org.labelloop.backend.monai.MonaiLabelBackend.Credentials;

import ij.IJ;
import ij.gui.GenericDialog;

/**
 * Plugins › LabelLoop › Connect MONAI Label: works against a MONAI Label server instead of a project folder
 * ({@code url=http://host:8000 user=ann}). A server with auth on is asked for a login when it answers 401: a dialog
 * with a display; headless, the password comes from the environment variable {@value #PASSWORD_ENV} (never from a
 * macro, which the recorder would keep).
 */
public class ConnectMONAILabel extends LabelLoopCommand {

	static final String PASSWORD_ENV = "LABELLOOP_MONAI_PASSWORD";

	@Override protected String title() { return "Connect MONAI Label"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addString("Url", "http://localhost:8000").addString("User", LabelLoopSession.defaultUser());
		if (!d.show()) return;
		String user = d.required("user");
		var b = new MonaiLabelBackend(d.required("url"), user, url -> login(url, user), Path.of(IJ.getDirectory("temp"), "labelloop-monai"));
		b.warnings().forEach(w -> IJ.log("LabelLoop warning: " + w));
		session.open(b);
		info("connected to MONAI Label '" + b.projectName() + "' (model " + b.model() + "): " + b.images().size() + " images, " + b.classes().size() + " classes");
	}

	/** Asks for the server's login: a dialog with a display, the environment headless; null when cancelled or not given. */
	static Credentials login(String url, String user) {
		if (GraphicsEnvironment.isHeadless()) {
			String password = System.getenv(PASSWORD_ENV);
			return password == null ? null : new Credentials(user, password);
		}
		GenericDialog gd = new GenericDialog("MONAI Label login");
		gd.addMessage(url + " asks for a login.");
		gd.addStringField("User", user, 20);
		gd.setEchoChar('*');
		gd.addStringField("Password", "", 20);
		gd.showDialog();
		return gd.wasCanceled() ? null : new Credentials(gd.getNextString(), gd.getNextString());
	}
}
