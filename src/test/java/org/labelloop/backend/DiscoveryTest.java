package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.vector.LuceneVectorIndex;
import org.labelloop.core.vector.VectorBackend;
import org.labelloop.core.vector.VectorIndex;
import org.labelloop.interop.LabelFormats;
import org.labelloop.interop.LabelMapFormat;

/** Embedders, label formats and vector backends are found with ServiceLoader, the built-in ones in a fixed order. */
class DiscoveryTest {

	@TempDir
	Path dir;

	@Test
	void everyFormatHasAProviderAndAnUnknownOneIsNamed() {
		assertEquals(Arrays.stream(Format.values()).map(Format::key).toList(), LabelFormats.keys());
		for (Format f : Format.values()) assertNotNull(LabelFormats.create(f.key(), LabelMapFormat.Options.DEFAULT, id -> null), f.key());
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> LabelFormats.create("dicom-rtstruct", LabelMapFormat.Options.DEFAULT, id -> null));
		assertTrue(e.getMessage().contains("dicom-rtstruct") && e.getMessage().contains("dicom-seg"), e.getMessage());
	}

	@Test
	void theBuiltInEmbeddersAreFoundInOrder() {
		assertEquals(List.of("features", "model", "cnn"), Embedders.NAMES);
		assertEquals("features", Embedders.check(null));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedders.check("resnet"));
		assertEquals("Unknown embedder 'resnet' (expected features, model or cnn)", e.getMessage());
	}

	@Test
	void theEmbeddedVectorIndexIsTheDefaultAndQdrantHasItsSetting() {
		List<VectorBackend> all = ServiceLoader.load(VectorBackend.class).stream().map(ServiceLoader.Provider::get).toList();
		assertEquals(List.of("lucene", "qdrant"), all.stream().map(VectorBackend::name).toList());
		assertEquals(null, all.get(0).setting());
		assertEquals("vector.qdrant.url", all.get(1).setting());
		try (VectorIndex ix = all.get(0).open(dir.resolve("index/v1"), "p", "v1", null, null)) {
			assertInstanceOf(LuceneVectorIndex.class, ix);
		}
		assertThrows(RuntimeException.class, () -> all.get(1).check("not a url"));
	}
}
