package org.labelloop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

class AnnotationSnapshotTest {

	private static Annotation ann(long id, long image, long rev, Status status) {
		return new Annotation(id, image, rev, AnnotationData.human(Geometry.rect(id, 1, 2, 2, Plane.ALL), 1L, "alice").withStatus(status), "alice",
				Instant.EPOCH);
	}

	@Test
	void followsRandomWritesAsARebuildFromScratchWould() {
		Random rnd = new Random(11);
		TreeMap<Long, Annotation> byId = new TreeMap<>(); // what a rebuild from scratch would give
		for (long id = 2; id <= 80; id += 2) byId.put(id, ann(id, rnd.nextInt(6), 1, Status.values()[rnd.nextInt(4)])); // even ids: gaps between
		List<Annotation> start = new ArrayList<>(byId.values());
		java.util.Collections.reverse(start);
		AnnotationSnapshot s = AnnotationSnapshot.of(start);
		long nextId = 200;
		for (int step = 0; step < 500; step++) {
			Map<Long, Annotation> touched = new HashMap<>();
			for (int n = rnd.nextInt(4); n >= 0; n--) {
				int what = rnd.nextInt(4);
				List<Long> ids = new ArrayList<>(byId.keySet());
				if (what == 0 || ids.isEmpty()) { // new, at the end
					Annotation a = ann(nextId++, rnd.nextInt(6), 1, Status.values()[rnd.nextInt(4)]);
					touched.put(a.id(), a);
				} else if (what == 1) { // an odd id, between others (an undo of a delete looks like this)
					long id = 2L * rnd.nextInt(100) + 1;
					if (!byId.containsKey(id)) touched.put(id, ann(id, rnd.nextInt(6), 3, Status.values()[rnd.nextInt(4)]));
				} else if (what == 2) { // reviewed
					Annotation a = byId.get(ids.get(rnd.nextInt(ids.size())));
					touched.put(a.id(), new Annotation(a.id(), a.imageId(), a.revision() + 1, a.data().withStatus(Status.values()[rnd.nextInt(4)]), "bob",
							Instant.EPOCH));
				} else { // deleted
					touched.put(ids.get(rnd.nextInt(ids.size())), null);
				}
			}
			touched.put(999_999L, null); // deleting what is not there changes nothing
			for (Map.Entry<Long, Annotation> e : touched.entrySet())
				if (e.getValue() == null) byId.remove(e.getKey());
				else byId.put(e.getKey(), e.getValue());
			s = s.with(touched);
			List<Annotation> expected = new ArrayList<>(byId.values());
			assertEquals(expected, s.all(), "after step " + step);
			assertEquals(Labels.labelledImages(expected), s.labelledImages(), "after step " + step);
		}
	}

	@Test
	void ofSortsByIdAndNothingTouchedIsTheSameSnapshot() {
		AnnotationSnapshot s = AnnotationSnapshot.of(List.of(ann(5, 1, 1, Status.ACCEPTED), ann(2, 2, 1, Status.PROPOSED)));
		assertEquals(List.of(2L, 5L), s.all().stream().map(Annotation::id).toList());
		assertEquals(java.util.Set.of(1L), s.labelledImages());
		assertSame(s, s.with(Map.of()));
		assertEquals(s.all(), s.all().stream().sorted(Comparator.comparingLong(Annotation::id)).toList());
	}

	@Test
	void anAnnotationGivenUnderAnotherIdIsRefused() {
		AnnotationSnapshot s = AnnotationSnapshot.of(List.of());
		assertThrows(IllegalArgumentException.class, () -> s.with(Map.of(3L, ann(4, 1, 1, Status.ACCEPTED))));
	}
}
