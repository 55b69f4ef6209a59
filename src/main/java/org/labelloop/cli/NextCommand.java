package org.labelloop.cli;

import java.time.Duration;

import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextOptions;
import org.labelloop.core.al.ImageScores;
import org.labelloop.core.al.Strategies;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop next}: the images to label next, chosen by an active-learning strategy and leased to the user. */
@Command(name = "next", description = "Choose the next image(s) to label with an active-learning strategy, lease them to --user and print them with the reason.")
final class NextCommand extends Main.ProjectCommand {
	@Option(names = { "-s", "--strategy" }, description = "random, least-confidence, margin, entropy, core-set, hybrid, more-of-class, confusion or review (default: ${DEFAULT-VALUE}).")
	String strategy = Strategies.DEFAULT;
	@Option(names = { "-k", "--count" }, description = "How many images (default: ${DEFAULT-VALUE}).")
	int count = 1;
	@Option(names = "--class", description = "The class of more-of-class, and the first class of confusion.")
	String targetClass;
	@Option(names = "--other", description = "The second class of confusion.")
	String otherClass;
	@Option(names = "--lease-minutes", description = "How long the images stay leased to the user (default: ${DEFAULT-VALUE}).")
	long leaseMinutes = NextOptions.DEFAULT_LEASE.toMinutes();
	@Option(names = "--aggregate", description = "How ROI uncertainties make an image score in ROI-only projects: max, mean or sum (default: ${DEFAULT-VALUE}).")
	String aggregate = "max";
	@Option(names = "--unit", description = "What a volume is ranked as: auto (its slices when the strategy scores predictions), slice or image (default: ${DEFAULT-VALUE}).")
	String unit = "auto";
	@Option(names = "--filter", description = "Only images whose metadata pass, e.g. \"modality:CT bodypart:HEAD\" (the fields DICOM import keeps).")
	String filter;
	@Option(names = "--task", description = "Whose model an uncertainty strategy ranks by: auto (the image model, else the ROI model, else the segmentation model), image, roi or seg (unsegmented slices by mean pixel entropy) (default: ${DEFAULT-VALUE}).")
	String task = "auto";

	@Override
	int run(LocalBackend b) {
		NextOptions o = NextOptions.DEFAULT.withClasses(targetClass, otherClass).withLease(Duration.ofMinutes(leaseMinutes))
				.withAggregation(ImageScores.Aggregation.parse(aggregate))
				.withUnit(NextOptions.Unit.parse(unit)).withFilter(org.labelloop.backend.ItemFilter.parse(filter))
				.withTask(NextOptions.parseTask(task));
		NextChoice.Batch batch = b.nextItems(strategy, count, o);
		if (!batch.message().isEmpty()) out().println(batch.message());
		int rank = 0;
		for (NextChoice c : batch.choices())
			out().println(++rank + "\t" + c.image().id() + "\t" + c.image().path() + "\t" + c.reason());
		if (!batch.choices().isEmpty())
			out().println("Leased " + batch.choices().size() + " image(s) to " + b.user() + " for " + leaseMinutes + " min (strategy " + batch.used() + ").");
		out().flush();
		return 0;
	}
}
