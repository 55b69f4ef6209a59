package org.labelloop.core.model;

import java.util.List;

/**
 * What an import did: how many items were added or skipped, and one line per problem naming the file or
 * entry and the reason.
 */
public record ImportReport(int added, int skipped, List<String> problems) {
	public ImportReport {
		problems = List.copyOf(problems);
	}

	public String summary() {
		return added + " added, " + skipped + " skipped" + (problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)");
	}
}
