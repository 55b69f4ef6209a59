package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link Djl#missing} with every deep-learning jar on the class path (the test class path has them); without them it
 * names each missing jar and the update site — checked in an installed Fiji.app by {@code UpdateSiteIT}.
 */
class DjlTest {

	@Test
	void nothingIsMissingWithTheJarsOnTheClassPathAndAnUnknownEngineIsNamed() {
		assertEquals("", Djl.missing("PyTorch"));
		assertEquals("", Djl.missing("OnnxRuntime"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Djl.missing("TensorFlow"));
		assertEquals("Unknown engine 'TensorFlow': PyTorch or OnnxRuntime", e.getMessage());
		Djl.require("OnnxRuntime");
		assertEquals("true", System.getProperty("ai.djl.offline"));
	}
}
