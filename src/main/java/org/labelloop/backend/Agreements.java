package org.labelloop.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.labelloop.core.issues.Kappa;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.store.ProjectStore;

import org.labelloop.backend.Review.Agreement;
import org.labelloop.backend.Review.Disagreement;
import org.labelloop.backend.Review.PairAgreement;

/**
 * Agreement between labellers: for every pair of users who labelled the same items (image labels; ROIs matched by
 * IoU), Cohen's kappa overall and per class, and the items they labelled differently.
 */
final class Agreements {

	private final ProjectStore store;

	Agreements(ProjectStore store) {
		this.store = store;
	}


	/** A human label: who gave which class to what. */
	private record Rated(Annotation a, String user) {
	}

	/**
	 * Agreement between users who labelled the same items: image-level labels of the same image, and ROIs of the same
	 * image and plane that overlap with IoU ≥ {@link #SAME_OBJECT_IOU} (each ROI matched at most once, best IoU first).
	 * Labels count when accepted or corrected; the user is the one in the {@code human:<user>} origin.
	 */
	Review.Agreement agreement() {
		Map<Long, List<Rated>> byImage = new TreeMap<>();
		for (Annotation a : store.allAnnotations())
			if (Labels.isLabel(a) && a.data().origin().isHuman())
				byImage.computeIfAbsent(a.imageId(), x -> new ArrayList<>()).add(new Rated(a, a.data().origin().source()));
		// pairs of users → matched (classA, classB) with the annotations
		Map<List<String>, List<long[]>> matched = new TreeMap<>(Comparator.comparing((List<String> l) -> l.get(0)).thenComparing(l -> l.get(1)));
		List<Disagreement> dis = new ArrayList<>();
		for (Map.Entry<Long, List<Rated>> e : byImage.entrySet()) {
			List<Rated> labels = new ArrayList<>(), rois = new ArrayList<>();
			for (Rated r : e.getValue()) (r.a().data().isImageLevel() ? labels : rois).add(r);
			// image labels: the latest label of each user on the image
			Map<String, Rated> latest = new TreeMap<>();
			for (Rated r : labels)
				latest.merge(r.user(), r, (p, q) -> Comparator.comparing((Rated x) -> x.a().time()).thenComparingLong(x -> x.a().id()).compare(p, q) >= 0 ? p : q);
			List<Rated> ls = new ArrayList<>(latest.values());
			for (int i = 0; i < ls.size(); i++)
				for (int j = i + 1; j < ls.size(); j++) pair(ls.get(i), ls.get(j), matched, dis);
			// ROIs: greedy matching by IoU between each pair of users
			Map<String, List<Rated>> byUser = new TreeMap<>();
			for (Rated r : rois) if (r.a().data().geometry() != null && r.a().data().geometry().kind().isArea()) byUser.computeIfAbsent(r.user(), x -> new ArrayList<>()).add(r);
			List<String> users = new ArrayList<>(byUser.keySet());
			for (int i = 0; i < users.size(); i++)
				for (int j = i + 1; j < users.size(); j++) matchRois(byUser.get(users.get(i)), byUser.get(users.get(j)), matched, dis);
		}
		List<PairAgreement> pairs = new ArrayList<>();
		matched.forEach((users, list) -> pairs.add(pairAgreement(users.get(0), users.get(1), list)));
		return new Agreement(pairs, dis);
	}

	private static void matchRois(List<Rated> as, List<Rated> bs, Map<List<String>, List<long[]>> matched, List<Disagreement> dis) {
		record Cand(Rated a, Rated b, double iou) {
		}
		List<Cand> cands = new ArrayList<>();
		for (Rated a : as)
			for (Rated b : bs) {
				if (!a.a().data().geometry().plane().equals(b.a().data().geometry().plane())) continue;
				double iou = a.a().data().geometry().iou(b.a().data().geometry());
				if (iou >= Review.SAME_OBJECT_IOU) cands.add(new Cand(a, b, iou));
			}
		cands.sort(Comparator.comparingDouble(Cand::iou).reversed());
		java.util.Set<Long> used = new java.util.HashSet<>();
		for (Cand c : cands) {
			if (used.contains(c.a().a().id()) || used.contains(c.b().a().id())) continue;
			used.add(c.a().a().id());
			used.add(c.b().a().id());
			pair(c.a(), c.b(), matched, dis);
		}
	}

	private static void pair(Rated x, Rated y, Map<List<String>, List<long[]>> matched, List<Disagreement> dis) {
		Rated a = x.user().compareTo(y.user()) <= 0 ? x : y, b = a == x ? y : x;
		long ca = a.a().data().classId(), cb = b.a().data().classId();
		matched.computeIfAbsent(List.of(a.user(), b.user()), u -> new ArrayList<>()).add(new long[] { ca, cb });
		if (ca != cb) dis.add(new Disagreement(a.a().imageId(), a.a().id(), a.user(), ca, b.a().id(), b.user(), cb));
	}

	private static PairAgreement pairAgreement(String ua, String ub, List<long[]> list) {
		TreeSet<Long> classes = new TreeSet<>();
		for (long[] p : list) {
			classes.add(p[0]);
			classes.add(p[1]);
		}
		List<Long> idx = new ArrayList<>(classes);
		int n = list.size(), same = 0;
		int[] a = new int[n], b = new int[n];
		for (int i = 0; i < n; i++) {
			a[i] = idx.indexOf(list.get(i)[0]);
			b[i] = idx.indexOf(list.get(i)[1]);
			if (a[i] == b[i]) same++;
		}
		Map<Long, Double> perClass = new LinkedHashMap<>();
		for (int c = 0; c < idx.size(); c++) perClass.put(idx.get(c), Kappa.kappa(a, b, idx.size(), c));
		return new PairAgreement(ua, ub, n, (double) same / n, Kappa.kappa(a, b, idx.size()), perClass);
	}
}
