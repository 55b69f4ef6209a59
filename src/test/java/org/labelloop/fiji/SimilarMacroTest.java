package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Status;
import org.labelloop.testing.HeadlessBatch;

/**
 * Similar Items and Embedding Map in a headless ImageJ macro (as {@link HeadlessMacroTest}): the query and its bulk
 * label run without a window, errors stop the macro with a message, and the labels are normal, undoable labels.
 */
class SimilarMacroTest {

	private static final String TD = Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath().toString();

	@TempDir
	Path tmp;

	/** The macro lines of a project of the labelled Fashion-MNIST images and {@code more} of test-data, retrained. */
	private static String trained(Path project, String more) {
		return "run(\"New Project\", \"folder=[" + project + "] name=" + project.getFileName() + " user=hal\");\n"
				+ "run(\"Add Images\", \"path=[" + TD + "/fashion]\");\n"
				+ "run(\"Add Images\", \"path=[" + TD + "/" + more + "]\");\n"
				+ "run(\"Import Labels\", \"format=csv file=[" + TD + "/fashion/labels.csv]\");\n"
				+ "run(\"Retrain\", \"classifier=logistic task=image\");\n";
	}

	@Test
	void similarItemsLabelsTheAnswerInBulkAndTheMapIsComputedHeadless() throws Exception {
		Path project = tmp.resolve("similar");
		Path file = tmp.resolve("job.ijm");
		Files.writeString(file, trained(project, "microscopy")
				+ "run(\"Next Image\", \"mode=sequential\");\n"
				+ "print(\"shown: \" + getTitle());\n"
				+ "run(\"Similar Items...\", \"k=3 filter=[not reviewed] label=bag as=weak\");\n"
				+ "run(\"Embedding Map\", \"task=image colour=status\");\n"
				+ "run(\"Embedding Map\", \"task=image colour=status filter=[origin:weak and width>=100]\");\n"
				+ "run(\"Similar Items...\", \"item=image:1 k=3 filter=[class:shoe]\");\n"
				+ "print(\"NOT REACHED\");\n");
		String out = HeadlessBatch.run(tmp, file, null, 120);
		assertTrue(out.matches("(?s).*LabelLoop: 3 item\\(s\\) like image:\\d+ \\(model v1, exact\\): image:\\d+ .*"), out);
		assertTrue(out.contains("LabelLoop: 3 item(s) labelled as bag (weak)"), out);
		assertTrue(out.matches("(?s).*LabelLoop: Embedding map of 2\\d item\\(s\\), model v1 \\(umap\\).*"), out);
		// the three weak labels went to microscopy images (wider than 100 pixels)
		assertTrue(out.matches("(?s).*LabelLoop: Embedding map of 2\\d item\\(s\\), model v1 \\(umap\\); 3 pass the filter \\[origin:weak width>=100\\].*"), out);

		assertTrue(out.contains("LabelLoop error (Similar Items): No class 'shoe' in this project; its classes are: "), out);
		assertFalse(out.contains("NOT REACHED"), out);
		assertFalse(out.contains("Exception"), "no stack trace:\n" + out);
		try (LocalBackend b = LocalBackend.open(project, "tester")) {
			List<Annotation> weak = b.store().allAnnotations().stream().filter(a -> a.data().origin().toString().startsWith("weak:like image:")).toList();
			assertEquals(3, weak.size(), weak::toString);
			assertTrue(weak.stream().allMatch(a -> a.data().status() == Status.PROPOSED && a.data().isImageLevel()));
			assertTrue(weak.stream().allMatch(a -> a.data().origin().toString().endsWith("[not reviewed]")));
			assertTrue(weak.stream().allMatch(a -> b.image(a.imageId()).path().contains("microscopy")), "only unlabelled images were not reviewed");
		}
	}

	/** On a volume the current item is the slice shown: Similar Items asks for that slice, and its answers are slices too. */
	@Test
	void onAVolumeSimilarItemsAsksForTheSliceShown() throws Exception {
		Path project = tmp.resolve("volume");
		Path file = tmp.resolve("volume.ijm");
		Files.writeString(file, trained(project, "mri/ch2_crop.nii.gz")
				+ "run(\"Next Image\", \"strategy=unlabelled\");\n"
				+ "print(\"shown: \" + getTitle() + \" slices \" + nSlices);\n"
				+ "setSlice(5);\n"
				+ "run(\"Similar Items...\", \"k=3\");\n");
		String out = HeadlessBatch.run(tmp, file, null, 120);
		assertTrue(out.contains("shown: ch2_crop.nii.gz slices 8"), out);
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("LabelLoop: 3 item\\(s\\) like slice:(\\d+):5 \\(model v1, exact\\): (.*)").matcher(out);
		assertTrue(m.find(), out);
		// the nearest of a slice of an MRI volume are its neighbouring slices and the volume itself, not clothing
		String volume = m.group(1);
		for (String answer : m.group(2).split(", "))
			assertTrue(answer.startsWith("slice:" + volume + ":") || answer.startsWith("image:" + volume + " "), answer + " in " + out);
		assertTrue(m.group(2).contains("slice:" + volume + ":4") || m.group(2).contains("slice:" + volume + ":6"), out);
		assertFalse(out.contains("Exception"), "no stack trace:\n" + out);
	}
}
