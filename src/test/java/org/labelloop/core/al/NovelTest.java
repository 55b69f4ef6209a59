package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NovelTest {

	private static float[][] cloud(Random r, int n, float centre) {
		float[][] x = new float[n][4];
		for (float[] v : x) for (int j = 0; j < v.length; j++) v[j] = centre + (float) r.nextGaussian();
		return x;
	}

	private static Pool pool(float[][] labelled, float[][] unlabelled) {
		long[] ids = new long[unlabelled.length], lab = new long[labelled.length];
		for (int i = 0; i < ids.length; i++) ids[i] = i;
		for (int i = 0; i < lab.length; i++) lab[i] = 1000 + i;
		return Pool.builder(List.of("a", "b")).unlabelled(ids, null, unlabelled).labelled(lab, new int[labelled.length], null, labelled).build();
	}

	@Test
	void choosesTheItemsUnlikeTheLabelledFarthestFirstAndOnlyThem() {
		Random r = new Random(3);
		float[][] unlabelled = new float[205][];
		float[][] like = cloud(r, 200, 0), far = cloud(r, 5, 8);
		System.arraycopy(like, 0, unlabelled, 0, 200);
		System.arraycopy(far, 0, unlabelled, 200, 5);
		unlabelled[204] = new float[] { 30, 30, 30, 30 }; // the farthest of all
		Result res = Strategies.byName(Novel.NAME).select(pool(cloud(r, 300, 0), unlabelled), 20, Options.DEFAULT);
		assertEquals("novel", res.used());
		assertEquals(204L, res.selections().get(0).id(), "the farthest item first");
		long fromFar = res.selections().stream().filter(s -> s.id() >= 200).count();
		assertEquals(5, fromFar, "all five far items are chosen: " + res.selections());
		assertTrue(res.selections().size() < 20, "items like the labelled ones are not padded in: " + res.selections().size());
		assertTrue(res.selections().get(0).reason().startsWith("unlike anything labelled: unfamiliarity "), res.selections().get(0).reason());
	}

	@Test
	void saysWhenNothingIsNovelAndFallsBackToCoreSetWithoutLabels() {
		Random r = new Random(4);
		Result none = Strategies.byName(Novel.NAME).select(pool(cloud(r, 300, 0), new float[][] { { 0, 0, 0, 0 }, { 0.1f, 0, 0, 0 } }), 1, Options.DEFAULT);
		assertTrue(none.selections().isEmpty());
		assertTrue(none.message().contains("No unlabelled item lies beyond the familiar range of the 300 labelled ones"), none.message());
		Result cold = Strategies.byName(Novel.NAME).select(pool(cloud(r, 3, 0), cloud(r, 10, 0)), 1, Options.DEFAULT);
		assertTrue(cold.selections().get(0).reason().startsWith("fewer than 12 labelled items, no familiar range yet, so core-set: "), cold.selections().get(0).reason());
	}

	/** With a model, an item among the labelled that the model hesitates over far more than over labelled items is novel. */
	@Test
	void withAModelItsHesitationAmongTheLabelledCounts() {
		Random r = new Random(5);
		float[][] labelled = cloud(r, 300, 0), unlabelled = cloud(r, 100, 0);
		float[][] oof = new float[300][], p = new float[100][];
		for (int i = 0; i < 300; i++) {
			float q = 0.85f + 0.15f * r.nextFloat();
			oof[i] = new float[] { q, 1 - q };
		}
		for (int i = 0; i < 100; i++) p[i] = i < 10 ? new float[] { 0.5f, 0.5f } : new float[] { 0.97f, 0.03f };
		long[] ids = new long[100], lab = new long[300];
		for (int i = 0; i < 100; i++) ids[i] = i;
		for (int i = 0; i < 300; i++) lab[i] = 1000 + i;
		Pool pool = Pool.builder(List.of("a", "b")).unlabelled(ids, p, unlabelled).labelled(lab, new int[300], oof, labelled).build();
		Result res = Strategies.byName(Novel.NAME).select(pool, 10, Options.DEFAULT);
		long hesitant = res.selections().stream().filter(s -> s.id() < 10).count();
		assertTrue(hesitant >= 8, "the items the model hesitates over come first: " + res.selections());
		long byDistance = Strategies.byName(Novel.NAME).select(pool(labelled, unlabelled), 10, Options.DEFAULT).selections().stream().filter(s -> s.id() < 10).count();
		assertTrue(byDistance <= 3, "by distance alone the same embeddings are not told apart: " + byDistance);
	}
}
