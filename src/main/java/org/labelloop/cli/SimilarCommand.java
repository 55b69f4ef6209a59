package org.labelloop.cli;

import java.util.List;
import java.util.Locale;

import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.Similar;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labelloop similar}: the items most like an item (and unlike others) among those passing a filter, optionally
 * labelled in bulk; and where the project's vector indexes live ({@code --qdrant URL}, {@code --local}).
 */
@Command(name = "similar", description = "Find the items most like ITEM (image:<id>, slice:<image id>:<z> or roi:<id>) and unlike --not items, optionally label them all;"
		+ " or set where the vector indexes live (--qdrant URL, --local).")
final class SimilarCommand extends Main.ProjectCommand {
	@Parameters(arity = "0..*", description = "Positive example item(s): image:<id>, slice:<image id>:<z> or roi:<annotation id>.")
	List<String> items = List.of();
	@Option(names = "--not", description = "A negative example item; repeat for more.")
	List<String> negatives = List.of();
	@Option(names = { "-k", "--count" }, description = "How many items (default: ${DEFAULT-VALUE}).")
	int k = 24;
	@Option(names = "--filter", description = "e.g. \"not reviewed class:nucleus status:proposed origin:weak user:ann\".")
	String filter = "";
	@Option(names = "--strategy", description = "average_vector or best_score (default: average_vector, best_score without positives).")
	String strategy;
	@Option(names = "--label", description = "Label every item found with this class, in one undoable change set.")
	String label;
	@Option(names = "--accepted", description = "With --label: accepted labels of --user instead of weak ones to review later.")
	boolean accepted;
	@Option(names = "--qdrant", description = "Keep this project's vector indexes on the Qdrant server at this address (API key: environment variable LABELLOOP_QDRANT_API_KEY).")
	String qdrant;
	@Option(names = "--local", description = "Keep this project's vector indexes in the project folder again (the default).")
	boolean local;

	@Override
	int run(LocalBackend b) {
		if (qdrant != null || local) {
			b.setVectorServer(local ? null : qdrant);
			out().println("Vector indexes: " + b.vectorServer().map(u -> "Qdrant at " + u).orElse("in the project folder") + " (rebuilt at the next query)");
		}
		if (items.isEmpty() && negatives.isEmpty()) {
			if (qdrant == null && !local)
				out().println("Vector indexes: " + b.vectorServer().map(u -> "Qdrant at " + u).orElse("in the project folder"));
			out().flush();
			return 0;
		}
		Similar.Query q = new Similar.Query(items, negatives, k, ItemFilter.parse(filter), strategy);
		Similar.Result r = b.similar(q);
		if (r.items().isEmpty()) out().println(r.message());
		int rank = 0;
		for (Similar.Item it : r.items())
			out().println(++rank + "\t" + it.item() + "\t" + it.imageName() + "\t" + String.format(Locale.ROOT, "%.4f", it.score()) + "\t"
					+ (it.label() == null ? "-" : it.label()) + "\t" + (it.status() == null ? "-" : it.status()));
		if (label != null && !r.items().isEmpty()) {
			Similar.BulkReport rep = b.bulkLabel(new Similar.BulkLabel(r.items().stream().map(Similar.Item::item).toList(), label, accepted, q.describe()));
			out().println(rep.summary() + " as " + label + (accepted ? "" : " (weak)"));
		}
		out().flush();
		return 0;
	}
}
