package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.backend.remote.TokenFile;

import ij.gui.GenericDialog;

/**
 * Plugins>LabelLoop>Connect to Server...: works on a lab server's project from now on. The token comes from the
 * owner-only token file, or is asked for (hidden, never recorded in a macro) and remembered there if wished.
 */
public class ConnectToServer extends LabelLoopCommand {

	@Override protected String title() { return "Connect to Server"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addString("URL", "http://localhost:8080").addString("User", LabelLoopSession.defaultUser())
				.addYesNo("Remember token", false);
		if (!d.show()) return;
		String url = d.required("url"), user = d.required("user");
		String token = TokenFile.read(TokenFile.defaultFile(), url, user).orElse(null);
		if (token == null && (java.awt.GraphicsEnvironment.isHeadless() || ij.Macro.getOptions() != null))
			throw new org.labelloop.core.model.LabelLoopException("No token for " + user + " at " + url + " in " + TokenFile.defaultFile()
					+ ": in a macro or headless the token comes from that file (connect once with the dialog and 'Remember token').");
		if (token == null) {
			GenericDialog g = new GenericDialog("Token for " + user + " at " + url);
			g.setEchoChar('*');
			g.addStringField("Token", "", 44);
			g.showDialog();
			if (g.wasCanceled()) return;
			token = g.getNextString();
		}
		RemoteBackend b = RemoteBackend.connect(url, user, token, RemoteBackend.defaultCache());
		if (d.yes("remember")) TokenFile.write(TokenFile.defaultFile(), url, user, token);
		session.open(b);
		info("connected to '" + b.projectName() + "' at " + url + " as " + b.user() + " (" + b.role().key() + ")");
	}
}
