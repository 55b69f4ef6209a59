package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.backend.TrainerTest.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;

/**
 * Image metadata as query words ({@code modality:MR}) in Similar Items and Next Image, on the Retrain test project:
 * its DICOM files are test-data/dicom's CT_small.dcm (CT), MR_small.dcm and MR_small_implicit.dcm (MR), whose
 * tags DICOM import keeps; the other images have none.
 */
class MetadataFilterTest {

	@TempDir
	Path dir;

	@Test
	void theTextFormReadsMetadataWordsAndWritesThemBack() {
		ItemFilter f = ItemFilter.parse("not reviewed Modality:CT,MR description:\"test head\" class:top");
		assertEquals(Map.of("modality", List.of("CT", "MR"), "description", List.of("test head")), f.metadata());
		assertEquals(List.of("top"), f.classes());
		assertEquals(f, ItemFilter.parse(f.toString()), f.toString());
		assertTrue(f.metadataMatches(Map.of("modality", "mr", "description", "Test Head")), "values compare ignoring case");
		assertTrue(!f.metadataMatches(Map.of("modality", "CT")), "every key must be there");
		assertTrue(ItemFilter.parse("modality:CT").metadataOnly().equals(ItemFilter.parse("modality:CT")));
	}

	@Test
	void similarItemsAndNextImageKeepTheImagesWhoseMetadataPass() {
		try (LocalBackend b = SimilarItemsTest.trained(dir.resolve("p"))) {
			long ct = image(b, "CT_small.dcm").id(), mr = image(b, "MR_small.dcm").id(), mr2 = image(b, "MR_small_implicit.dcm").id();
			assertEquals("CT", b.store().imageMetadata(ct).get("modality"));
			assertEquals("MR", b.store().imageMetadata(mr2).get("modality"));

			Similar.Result r = b.similar(Similar.Query.nearest(Similar.item(Similar.IMAGE, ct), 10, ItemFilter.parse("modality:mr")));
			assertEquals(Set.of(Similar.item(Similar.IMAGE, mr), Similar.item(Similar.IMAGE, mr2)), Set.copyOf(SimilarItemsTest.ids(r)),
					"only the MR images, whatever the case of the value");
			Similar.Result none = b.similar(Similar.Query.nearest(Similar.item(Similar.IMAGE, ct), 10, ItemFilter.parse("modality:PET")));
			assertEquals(List.of(), none.items(), "no image passes: nothing, not everything");
			LabelLoopException typo = assertThrows(LabelLoopException.class,
					() -> b.similar(Similar.Query.nearest(Similar.item(Similar.IMAGE, ct), 10, ItemFilter.parse("modalty:CT"))));
			assertTrue(typo.getMessage().contains("Unknown filter field 'modalty'") && typo.getMessage().contains("modality"), typo.getMessage());

			// MR_small_implicit.dcm is the one unlabelled MR image (MR_small.dcm is labelled scan)
			NextChoice.Batch next = b.nextItems("entropy", 5, NextOptions.DEFAULT.withFilter(ItemFilter.parse("modality:MR")));
			assertEquals(List.of(mr2), next.choices().stream().map(c -> c.image().id()).toList(), next.message());
			b.releaseItems();
			NextChoice.Batch all = b.nextItems("entropy", 50, NextOptions.DEFAULT);
			assertTrue(all.choices().size() > 1, "without the filter every unlabelled image: " + all.choices().size());
			assertTrue(all.choices().stream().map(c -> c.image().id()).collect(Collectors.toSet()).contains(mr2));
			b.releaseItems();
			NextChoice.Batch pet = b.nextItems("entropy", 5, NextOptions.DEFAULT.withFilter(ItemFilter.parse("modality:PET")));
			assertEquals(List.of(), pet.choices());
			assertTrue(pet.message().contains("No image passes the filter modality:PET"), pet.message());
			IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
					() -> NextOptions.DEFAULT.withFilter(ItemFilter.parse("class:top modality:CT")));
			assertTrue(labels.getMessage().contains("by their metadata"), labels.getMessage());
		}
	}
}
