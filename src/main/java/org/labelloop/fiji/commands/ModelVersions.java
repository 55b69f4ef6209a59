package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

import org.labelloop.backend.ModelSummary;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;

import ij.IJ;

/** Plugins>LabelLoop>Model Versions: lists the versions with their metrics; the one chosen becomes active (rollback). */
public class ModelVersions extends LabelLoopCommand {

	@Override protected String title() { return "Model Versions"; }

	@Override protected Class<?> needs() { return Backend.ModelVersions.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var b = session.require(Backend.ModelVersions.class);
		List<ModelVersion> all = b.models(), ready = all.stream().filter(m -> m.state() == ModelVersion.State.READY).toList();
		if (ready.isEmpty()) throw new LabelLoopException("No model versions yet: label some items, then run Retrain.");
		Dialog d = new Dialog(title());
		all.forEach(m -> d.addMessage(ModelSummary.line(m)));
		String active = ready.stream().filter(ModelVersion::active).reduce((x, y) -> y).map(ModelVersion::name).orElse(ready.get(0).name());
		d.addChoice("Version", ready.stream().map(ModelVersion::name).toList(), active);
		if (!d.show()) return;
		ModelVersion chosen = ready.stream().filter(m -> m.name().equals(d.get("version"))).findFirst().orElseThrow();
		ModelVersion now = b.activateModel(chosen.id());
		IJ.log(ModelSummary.table(b.models()));
		info(now.name() + " is the active " + now.task() + " model");
		session.refreshCurrent();
	}
}
