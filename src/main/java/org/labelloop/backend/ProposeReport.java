package org.labelloop.backend;

import java.util.List;

/**
 * What a run of the object proposer did.
 *
 * @param images   images proposals were written for
 * @param objects  proposed annotations written
 * @param replaced earlier proposals deleted because {@code replace} was asked for
 * @param skipped  images left alone because they already had proposals
 * @param problems images that could not be read, with the reason
 */
public record ProposeReport(int images, int objects, int replaced, int skipped, List<String> problems) {
	public ProposeReport {
		problems = List.copyOf(problems);
	}

	public String summary() {
		return objects + " object(s) proposed on " + images + " image(s)" + (replaced > 0 ? ", " + replaced + " earlier proposal(s) replaced" : "")
				+ (skipped > 0 ? ", " + skipped + " image(s) skipped (already proposed)" : "")
				+ (problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)");
	}
}
