package org.labelloop.server;

import org.labelloop.core.model.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.store.ProjectStore;

/** What the dashboard shows, in one answer: progress per class and user, learning curve, flags, issues, agreement. */
final class Dashboard {

	private Dashboard() {
	}

	record ClassCount(String name, String color, long labels) {
	}

	record CurvePoint(Task task, String model, int labels, Double accuracy, Double macroF1) {
	}

	record Summary(String project, int images, long labelledImages, List<ClassCount> perClass, Map<String, Long> perUser,
			List<CurvePoint> learningCurve, List<Comment> openFlags, int labelIssues, List<org.labelloop.backend.Review.PairAgreement> agreement) {
	}

	static Summary summary(ProjectStore store, LocalBackend b) {
		List<Annotation> all = store.allAnnotations();
		Map<Long, Long> byClass = new TreeMap<>();
		Map<String, Long> byUser = new TreeMap<>();
		java.util.Set<Long> labelled = new java.util.HashSet<>();
		for (Annotation a : all) {
			if (!a.data().status().isDecided()) continue;
			if (a.data().classId() != null) byClass.merge(a.data().classId(), 1L, Long::sum);
			byUser.merge(a.author(), 1L, Long::sum);
			labelled.add(a.imageId());
		}
		List<ClassCount> perClass = new java.util.ArrayList<>();
		for (LabelClass c : store.classes()) perClass.add(new ClassCount(c.name(), c.color(), byClass.getOrDefault(c.id(), 0L)));
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
		return new Summary(store.name(), store.images().size(), labelled.size(), perClass, new LinkedHashMap<>(byUser), curve, flags, issues, agreement);
	}
}
