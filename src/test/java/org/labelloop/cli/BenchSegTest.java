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
				"--clicks", "3", "--click-encoder", enc.toString(), "--click-decoder", dec.toString(), "--json", json.toString());
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

	@Test
	void classesMustBeNumbers() {
		StringWriter err = new StringWriter();
		CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		assertEquals(1, cl.execute("bench", "seg", "--classes", "1,x"));
		assertTrue(err.toString().contains("--classes"), err.toString());
		assertEquals(1, cl.execute("bench", "seg", "--click-encoder", "enc.onnx"));
		assertTrue(err.toString().contains("--click-encoder and --click-decoder go together"), err.toString());
	}
}
