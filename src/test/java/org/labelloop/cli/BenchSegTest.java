package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code bench seg} on the real MRI crop and coins.png at tiny sizes: the JSON has every field with sane values (no timings checked). */
class BenchSegTest {

	@TempDir
	Path dir;

	@Test
	void tinyRunOnTheRealCropWritesTheJson() throws IOException {
		Path json = dir.resolve("out/seg.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchSeg());
		cl.setOut(new PrintWriter(out));
		Path enc = java.nio.file.Files.write(dir.resolve("enc.onnx"), org.labelloop.core.learn.djl.TinyOnnx.samEncoder(32)),
				dec = java.nio.file.Files.write(dir.resolve("dec.onnx"), org.labelloop.core.learn.djl.TinyOnnx.samDecoder(32, 64, 64, 4));
		int code = cl.execute("--budget", "3", "--seeds", "2", "--pool", "4", "--eval", "2", "--trees", "4", "--predict-size", "64", "--volume", "32x32x8",
				"--clicks", "3", "--strategies", "disagreement,entropy,entropy+diverse", "--gap", "2", "--click-encoder", enc.toString(), "--click-decoder", dec.toString(), "--json", json.toString());
		assertEquals(0, code, out.toString());
		assertTrue(out.toString().contains("efficiency_vs_random"), out.toString());
		JsonNode r = new ObjectMapper().readTree(json.toFile());
		assertEquals("seg", r.path("benchmark").asText());
		assertTrue(r.path("data").path("image").asText().endsWith("ch2_crop.nii"));
		assertTrue(r.path("data").path("labels").asText().endsWith("aal_crop.nii.gz"));
		assertEquals("48x56x8", r.path("data").path("size").asText());
		assertTrue(r.path("data").path("click_image").asText().contains("coins.png"));
		assertEquals(3, r.path("labelled_slices").size());
		assertEquals(3, r.path("dice_al").size());
		assertEquals(3, r.path("dice_random").size());
		assertEquals(2, r.path("dice_random_per_seed").size());
		assertEquals(2, r.path("al_choices").size());
		for (String curve : new String[] { "dice_al", "dice_random" })
			for (JsonNode d : r.path(curve)) assertTrue(d.asDouble() > 0.2 && d.asDouble() <= 1, curve + " " + d);
		assertEquals(r.path("dice_al").get(2).asDouble(), r.path("dice_final").asDouble());
		double eff = r.path("efficiency_vs_random").asDouble();
		assertTrue(eff > 0 && eff <= 3, "efficiency " + eff);
		// strategies side by side: the first is the one of dice_al / al_choices / efficiency_vs_random
		assertEquals("disagreement", r.path("strategy").asText());
		assertEquals(3, r.path("config").path("strategies").size());
		assertEquals(2, r.path("config").path("diversity_gap_slices").asInt());
		JsonNode st = r.path("strategies");
		assertEquals(java.util.List.of("disagreement", "entropy", "entropy+diverse"), iterable(st.fieldNames()));
		assertEquals(st.path("disagreement").path("dice"), r.path("dice_al"));
		assertEquals(st.path("disagreement").path("choices"), r.path("al_choices"));
		assertEquals(eff, r.path("efficiency_vs_random_disagreement").asDouble());
		for (String key : new String[] { "disagreement", "entropy", "entropy_diverse" }) {
			double e = r.path("efficiency_vs_random_" + key).asDouble();
			assertTrue(e > 0 && e <= 3, key + " " + e);
		}
		for (JsonNode s : st) {
			assertEquals(3, s.path("dice").size());
			assertEquals(2, s.path("choices").size());
			assertEquals(2, s.path("efficiency_per_seed").size(), "one per random seed");
			double m = (s.path("efficiency_per_seed").get(0).asDouble() + s.path("efficiency_per_seed").get(1).asDouble()) / 2;
			assertEquals(m, s.path("efficiency_per_seed_mean").asDouble(), 0.001);
			assertTrue(s.path("efficiency_per_seed_sd").asDouble() >= 0);
			double area = 0;
			for (JsonNode d : s.path("dice")) area += d.asDouble() / 3;
			assertEquals(area, s.path("dice_mean").asDouble(), 0.001);
		}
		// the crop's pool is slices 0, 2, 4, 6 and the curve starts at 4: with a gap of 2 the diverse choice must take 0
		// first (the only pool slice more than 2 from 4), whatever the scores
		assertEquals("[0,2,4,6]", r.path("data").path("pool_slices").toString());
		assertEquals(4, r.path("config").path("first_slice").asInt());
		assertEquals(0, st.path("entropy+diverse").path("choices").get(0).asInt());
		assertTrue(out.toString().contains("efficiency_vs_random_entropy_diverse"), out.toString());
		assertTrue(r.path("dice_mean_random").asDouble() > 0.2 && r.path("dice_mean_random_sd").asDouble() >= 0);
		assertEquals("z", r.path("data").path("slicing_axis").asText());
		assertEquals("32x32x8", r.path("volume_size").asText());
		for (String t : new String[] { "predict_512_s", "predict_volume_s", "train_10_s", "click_p50_ms", "click_p95_ms", "click_intensity_p95_ms" })
			assertTrue(r.path(t).isNumber() && r.path(t).asDouble() >= 0, t);
		assertTrue(r.path("click_objects").asInt() >= 1);
		assertEquals("enc.onnx + dec.onnx (encoder input 32)", r.path("click_model").asText());
		for (String t : new String[] { "click_model_encode_ms", "click_model_decoder_p50_ms", "click_model_decoder_p95_ms" })
			assertTrue(r.path(t).isNumber() && r.path(t).asDouble() > 0, t);
		assertTrue(out.toString().contains("click_model_decoder_p95_ms"), out.toString());
		for (String g : new String[] { "predict_512_s", "predict_volume_s", "train_10_s", "click_p95_ms", "efficiency_vs_random" }) {
			assertTrue(r.path("goals").has(g), g);
			assertTrue(r.path("goals_met").path(g).isBoolean(), g);
		}
		assertTrue(r.path("machine").path("cores").asInt() >= 1);
	}

	/**
	 * The crop cut across y (56 slices of 48×8): with a gap of 6, each slice the diverse strategy takes is more than 6
	 * slices from every slice taken before it whenever such a pool slice is left. Plain entropy on the same run takes
	 * slice 28 third, 6 from slices 22 and 34, so the rule changes the choice here.
	 */
	@Test
	void theDiverseStrategyKeepsItsGapAcrossY() throws IOException {
		Path json = dir.resolve("y.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchSeg());
		cl.setOut(new PrintWriter(out));
		int code = cl.execute("--axis", "y", "--budget", "4", "--seeds", "1", "--pool", "8", "--eval", "2", "--trees", "4", "--predict-size", "64", "--volume",
				"32x32x8", "--clicks", "2", "--strategies", "entropy,entropy+diverse", "--gap", "6", "--json", json.toString());
		assertEquals(0, code, out.toString());
		JsonNode r = new ObjectMapper().readTree(json.toFile());
		assertEquals("48x8x56", r.path("data").path("size").asText());
		assertEquals("y", r.path("data").path("slicing_axis").asText());
		java.util.List<Integer> pool = new java.util.ArrayList<>();
		r.path("data").path("pool_slices").forEach(z -> pool.add(z.asInt()));
		assertEquals(8, pool.size());
		java.util.List<Integer> taken = new java.util.ArrayList<>(java.util.List.of(r.path("config").path("first_slice").asInt()));
		boolean bit = false;
		JsonNode plain = r.path("strategies").path("entropy").path("choices"), diverse = r.path("strategies").path("entropy+diverse").path("choices");
		assertEquals(3, diverse.size());
		for (int k = 0; k < diverse.size(); k++) {
			int z = diverse.get(k).asInt();
			boolean farLeft = pool.stream().anyMatch(q -> !taken.contains(q) && taken.stream().allMatch(t -> Math.abs(q - t) > 6));
			if (farLeft) for (int t : taken) assertTrue(Math.abs(z - t) > 6, "slice " + z + " within 6 of " + t + " (taken " + taken + ", pool " + pool + ")");
			bit |= plain.get(k).asInt() != z;
			taken.add(z);
		}
		assertTrue(bit, "the rule changed no choice: plain " + plain + ", diverse " + diverse);
	}

	static java.util.List<String> iterable(java.util.Iterator<String> it) {
		java.util.List<String> l = new java.util.ArrayList<>();
		it.forEachRemaining(l::add);
		return l;
	}

	@Test
	void classesMustBeNumbers() {
		StringWriter err = new StringWriter();
		CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		assertEquals(1, cl.execute("bench", "seg", "--classes", "1,x"));
		assertTrue(err.toString().contains("--classes"), err.toString());
		assertEquals(1, cl.execute("bench", "seg", "--click-encoder", "enc.onnx"));
		assertTrue(err.toString().contains("--click-encoder and --click-decoder go together"), err.toString());
		assertEquals(1, cl.execute("bench", "seg", "--strategies", "entropy,margin"));
		assertTrue(err.toString().contains("Unknown slice strategy 'margin'"), err.toString());
		assertEquals(1, cl.execute("bench", "seg", "--axis", "w"));
		assertTrue(err.toString().contains("The slicing axis is x, y or z"), err.toString());
	}
}
