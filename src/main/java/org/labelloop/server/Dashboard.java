package org.labelloop.server;

import org.labelloop.core.model.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.store.ProjectStore;

/** What the dashboard shows, in one answer: progress per class and user, learning curve, flags, issues, agreement. */
final class Dashboard {

	private Dashboard() {
	}

	record CurvePoint(Task task, String model, int labels, Double accuracy, Double macroF1) {
	}

	record Summary(String project, int images, long labelledImages, List<org.labelloop.backend.ProjectProgress.ClassCount> perClass, Map<String, Long> perUser,
			List<CurvePoint> learningCurve, List<Comment> openFlags, int labelIssues, List<org.labelloop.backend.Review.PairAgreement> agreement) {
	}

	static Summary summary(ProjectStore store, LocalBackend b) {
		org.labelloop.backend.ProjectProgress progress = b.progress();
		Map<String, Long> byUser = new TreeMap<>();
		for (Annotation a : store.allAnnotations())
			if (a.data().status().isDecided()) byUser.merge(a.author(), 1L, Long::sum);
		List<CurvePoint> curve = new java.util.ArrayList<>();
		for (ModelVersion m : store.models())
			if (m.state() == ModelVersion.State.READY)
				curve.add(new CurvePoint(m.task(), m.name(), m.trainSize(), m.metrics().get("accuracy"), m.metrics().get("macro_f1")));
		List<Comment> flags = store.threads(true).stream().filter(Comment::isFlag).toList();
		int issues = 0;
		try {
			issues = b.labelIssues(Task.IMAGE).size();
		} catch (RuntimeException e) {
			// no model yet: no issues to count
		}
		List<org.labelloop.backend.Review.PairAgreement> agreement = List.of();
		try {
			agreement = b.agreement().pairs();
		} catch (RuntimeException e) {
			// nothing labelled twice yet
		}
		return new Summary(store.name(), progress.images(), progress.labelledImages(), progress.classes(), new LinkedHashMap<>(byUser), curve, flags, issues, agreement);
	}
}
