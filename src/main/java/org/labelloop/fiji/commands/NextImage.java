package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;
import java.util.Locale;

import org.labelloop.backend.Backend;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.Trainer;

import ij.IJ;
import ij.Macro;

/**
 * Plugins>LabelLoop>Next Image: saves pending edits, then shows the next image with its annotations. The strategy
 * is {@code sequential} or {@code unlabelled} (project order) or an active-learning strategy ({@code entropy},
 * {@code hybrid}, …), which leases the image to the user and says why it was chosen. {@code mode=} of older macros
 * still works.
 */
public class NextImage extends LabelLoopCommand {

	@Override protected String title() { return "Next Image"; }

	@Override
	protected void run(LabelLoopSession session) {
		Backend backend = session.backend();
		String options = Macro.getOptions();
		if (options != null && Dialog.optionKeys(options).contains("mode") && !Dialog.optionKeys(options).contains("strategy"))
			Macro.setOptions(options.replaceFirst("(^|\\s)mode=", "$1strategy="));
		boolean model = java.util.Arrays.stream(Task.values()).anyMatch(t -> backend.activeModel(t).isPresent());
		Dialog d = new Dialog(title()).addChoice("Strategy", LabelLoopSession.nextStrategies(), LabelLoopSession.nextStrategy(model, Macro.getOptions() == null))
				.addString("Class (more-of-class, confusion)", "").addString("Other class (confusion)", "")
				.addChoice("Unit (of a volume)", List.of("auto", "slice", "image"), "auto").addString("Filter (image metadata, e.g. modality:CT)", "")
				.addChoice("Task (whose model ranks)", List.of("auto", "image", "roi", "seg"), "auto");
		d.addMessage("Class and other class are used by more-of-class (class) and confusion (class vs other) only.\n"
				+ "Unit auto ranks a volume's slices when the strategy scores predictions; the filter keeps images by their metadata.\n"
				+ "Task seg ranks unsegmented slices by the segmentation model's pixel entropy (auto: image, else roi, else seg model).");
		if (!d.show()) return;
		String strategy = d.get("strategy").toLowerCase(Locale.ROOT);
		LabelLoopSession.setNextStrategy(strategy);
		Long current = SaveLabels.savePending(session);
		if (strategy.equals("sequential") || strategy.equals("unlabelled")) {
			if (current != null) backend.releaseItem(current);
			var next = backend.next(current, NextMode.valueOf(strategy.toUpperCase(Locale.ROOT)));
			if (next.isEmpty()) info("no " + strategy + " image left");
			else {
				session.show(next.get());
				session.setChosen(next.get().id(), strategy.equals("sequential") ? "next in project order" : "next unlabelled image in project order");
			}
			return;
		}
		NextChoice.Batch b = backend.nextItems(strategy, 1,
				NextOptions.DEFAULT.withClasses(d.get("class"), d.get("other")).withCurrent(current).withUnit(NextOptions.Unit.parse(d.get("unit")))
						.withFilter(org.labelloop.backend.ItemFilter.parse(d.get("filter"))).withTask(NextOptions.parseTask(d.get("task"))));
		if (b.choices().isEmpty()) {
			info(b.status());
			return;
		}
		NextChoice c = b.choices().get(0);
		ij.ImagePlus imp = session.show(c.image());
		if (c.z() > 0) imp.setPosition(imp.getC(), c.z(), imp.getT()); // a volume opens at the slice chosen
		session.setChosen(c.image().id(), c.reason() + (c.z() > 0 ? " (slice " + c.z() + ")" : ""));
		if (!c.message().isEmpty()) IJ.log("LabelLoop: " + c.message());
		info(c.image().name() + ": " + c.reason());
	}
}
