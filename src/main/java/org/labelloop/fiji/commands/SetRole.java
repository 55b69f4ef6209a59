package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.Arrays;

import org.labelloop.core.model.Role;

/**
 * Plugins>LabelLoop>Set Role: records a person's role in the project (labeller, reviewer, researcher, admin) and
 * lists everyone's. A reviewer's decisions and every change are recorded with the role; the lab server also enforces
 * it.
 */
public class SetRole extends LabelLoopCommand {

	@Override protected String title() { return "Set Role"; }

	@Override protected Class<?> needs() { return Backend.Roles.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var b = session.require(Backend.Roles.class);
		Dialog d = new Dialog(title()).addString("User", b.user())
				.addChoice("Role", Arrays.stream(Role.values()).map(Role::key).toList(), b.role().key());
		if (!d.show()) return;
		String user = d.required("user");
		if (!user.matches("[\\p{L}\\p{N}._@-]{1,64}")) throw new org.labelloop.core.model.LabelLoopException(
				"'" + user + "' is not a user name: use letters, digits, '.', '_', '@' or '-' (at most 64).");
		b.setRole(user, Role.parse(d.get("role")));
		info(user + " is now " + d.get("role") + "; roles: " + String.join(", ", b.roles().entrySet().stream().map(e -> e.getKey() + " " + e.getValue().key()).toList()));
	}
}
