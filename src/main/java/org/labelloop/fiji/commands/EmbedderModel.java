package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.nio.file.Path;

import org.labelloop.core.learn.djl.DjlEmbedder;

/**
 * Plugins>LabelLoop>Embedder Model: sets the project's own embedding model (ONNX or TorchScript file, run offline),
 * which Retrain uses with {@code embedder=model}. The model is loaded and run once before it is stored.
 */
public class EmbedderModel extends LabelLoopCommand {

	@Override protected String title() { return "Embedder Model"; }

	@Override protected Class<?> needs() { return Backend.OwnModels.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var current = session.require(Backend.OwnModels.class).embedderModel();
		Dialog d = new Dialog(title()).addFile("Model", current.map(s -> s.modelFile().toString()).orElse(""))
				.addNumber("Width", current.map(DjlEmbedder.Settings::width).orElse(224)).addNumber("Height", current.map(DjlEmbedder.Settings::height).orElse(224))
				.addNumber("Channels", current.map(DjlEmbedder.Settings::channels).orElse(1)).addString("Mean", "0").addString("Std", "1").addString("Output", "0");
		if (!d.show()) return;
		String out = d.get("output");
		var s = new DjlEmbedder.Settings(Path.of(d.required("model")), (int) d.number("width"), (int) d.number("height"), (int) d.number("channels"),
				d.numbers("mean"), d.numbers("std"), out.matches("\\d+") ? Integer.parseInt(out) : 0, out.matches("\\d+") ? null : out);
		session.require(Backend.OwnModels.class).setEmbedderModel(s);
		info("Embedding model set: " + s.modelFile().getFileName() + "; Retrain with embedder=model uses it.");
	}
}
