package org.labelloop.core.store;

import java.nio.file.Path;
import java.util.List;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;

/**
 * Child process of {@link CrashRecoveryTest}: writes change sets of three annotations forever and prints
 * {@code ack <n>} after each commit returned, until it is killed.
 */
public final class StoreWriterMain {
	public static void main(String[] args) {
		SqlProjectStore s = SqlProjectStore.open(Path.of(args[0]));
		long img = s.images().get(0).id();
		for (int n = 0;; n++) {
			List<Edit> edits = List.of(create(img, n, 0), create(img, n, 1), create(img, n, 2));
			s.apply("writer", "batch " + n, edits);
			System.out.println("ack " + n);
			System.out.flush();
		}
	}

	static Edit create(long img, int n, int k) {
		return new Edit.Create(img, AnnotationData.human(Geometry.rect(n, k, 5, 5, Plane.ALL), null, "writer"));
	}
}
