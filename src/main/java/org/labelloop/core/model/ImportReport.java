package org.labelloop.core.model;

import java.util.List;

/**
 * What an import did: how many items were added or skipped, one line per problem naming the file or entry and the
 * reason, and the classes the import created because the project did not have them yet (every label format creates
 * them the same way: {@code interop.FormatSupport.Batch}).
 */
public record ImportReport(int added, int skipped, List<String> problems, List<String> createdClasses) {
	public ImportReport {
		problems = List.copyOf(problems);
		createdClasses = createdClasses == null ? List.of() : List.copyOf(createdClasses); // null: from an older server
	}

	/** A report that created no class (adding images, proposals). */
	public ImportReport(int added, int skipped, List<String> problems) {
		this(added, skipped, problems, List.of());
	}

	public String summary() {
		return added + " added, " + skipped + " skipped" + (problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)")
				+ (createdClasses.isEmpty() ? "" : "; created classes: " + String.join(", ", createdClasses));
	}
}
