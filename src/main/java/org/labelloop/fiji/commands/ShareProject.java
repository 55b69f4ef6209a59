package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Role;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;

import ij.IJ;

/**
 * Plugins>LabelLoop>Share Project...: serves the open local project from this Fiji (until Stop Sharing or the
 * project closes) and gives a colleague a token, printed once to the Log with the address to connect to.
 */
public class ShareProject extends LabelLoopCommand {

	@Override protected String title() { return "Share Project"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!(session.backend() instanceof LocalBackend local))
			throw new LabelLoopException("Only a project opened from a folder on this computer can be shared from here.");
		Dialog d = new Dialog(title()).addNumber("Port", 8080).addString("Listen on", "127.0.0.1").addString("Colleague", "")
				.addChoice("Role", java.util.List.of("labeller", "reviewer", "researcher", "admin"), "labeller");
		if (!d.show()) return;
		LabServer server = session.sharing() instanceof LabServer s ? s
				: LabServer.share(local.engine(), LabServer.Config.loopback((int) d.number("port")).withHost(d.required("listen")));
		session.setSharing(server);
		if (local.role() != Role.ADMIN && local.roles().values().stream().noneMatch(r -> r == Role.ADMIN)) local.setRole(local.user(), Role.ADMIN);
		String colleague = d.get("colleague").strip();
		if (!colleague.isEmpty()) {
			String token = Tokens.addUser(local.store(), colleague, Role.parse(d.required("role")), local.user());
			IJ.log("LabelLoop: " + colleague + " connects with Plugins>LabelLoop>Connect to Server..., URL " + server.url() + ", user " + colleague
					+ ", token (shown only now): " + token);
		}
		info("sharing '" + local.projectName() + "' at " + server.url());
	}
}
