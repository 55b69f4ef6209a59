package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labelloop.core.model.LabelLoopException;

import ij.Macro;

/** The dialog wrapper headless (the surefire JVM runs with java.awt.headless=true): options in, clear errors out. */
class DialogTest {

	private String threadName;

	@BeforeEach
	void likeAMacroThread() {
		threadName = Thread.currentThread().getName();
		Thread.currentThread().setName("Run$_" + threadName); // what IJ.run does; Macro.getOptions needs it
	}

	@AfterEach
	void restore() {
		Macro.setOptions(null);
		Thread.currentThread().setName(threadName);
	}

	private static Dialog newProject() {
		return new Dialog("New Project").addDirectory("Folder", "").addString("Name", "default").addString("User", "me")
				.addChoice("Mode", List.of("sequential", "unlabelled", "random"), "sequential");
	}

	@Test
	void longMessagesAreWrappedAtSpacesAndKeepTheirLines() {
		String classes = "Classes: " + String.join(", ", java.util.Collections.nCopies(30, "ankle_boot (#123456, key 9)"));
		String wrapped = Dialog.wrap(classes + "\nsecond line", 90);
		for (String line : wrapped.split("\n")) assertTrue(line.length() <= 90, line);
		assertEquals(classes + " second line", wrapped.replace('\n', ' '), "only spaces became line breaks");
		assertTrue(wrapped.endsWith("\nsecond line"));
		assertEquals("short", Dialog.wrap("short", 90));
		assertEquals("a\n\nb", Dialog.wrap("a\n\nb", 90), "blank lines stay");
	}

	@Test
	void optionKeysHandleBracketsQuotesAndBareKeys() {
		assertEquals(List.of("folder", "name", "user", "stack", "mode"),
				Dialog.optionKeys("folder=[/a b/c] name='x y' user=bob stack mode=[[nested] one]"));
		assertEquals(List.of(), Dialog.optionKeys("   "));
	}

	@Test
	void keysAreTheLowerCaseFirstWordOfTheLabel() {
		assertEquals("folder", Dialog.key("Folder"));
		assertEquals("class", Dialog.key("Class name:"));
	}

	@Test
	void headlessReadsTheOptionsAndKeepsDefaults() {
		Macro.setOptions("folder=[/tmp/my project] mode=UNLABELLED");
		Dialog d = newProject();
		assertTrue(d.show());
		assertEquals("/tmp/my project", d.get("folder"));
		assertEquals("default", d.get("name"));
		assertEquals("me", d.get("user"));
		assertEquals("unlabelled", d.get("mode"), "choices match ignoring case");
	}

	@Test
	void aMisspeltOptionIsRefusedNamingTheValidOnes() {
		Macro.setOptions("folder=/tmp/x nmae=p");
		var e = assertThrows(LabelLoopException.class, () -> newProject().show());
		assertEquals("New Project: unknown option 'nmae' (did you mean 'name'?). Valid options: folder, name, user, mode.", e.getMessage());
		Macro.setOptions("whatever=1");
		e = assertThrows(LabelLoopException.class, () -> new Dialog("Save Labels").show());
		assertEquals("Save Labels: unknown option 'whatever'. This command takes no options.", e.getMessage());
	}

	@Test
	void anInvalidChoiceListsTheChoices() {
		Macro.setOptions("folder=/tmp/x mode=next");
		var e = assertThrows(LabelLoopException.class, () -> newProject().show());
		assertEquals("New Project: 'next' is not a valid mode; choose one of: sequential, unlabelled, random", e.getMessage());
	}

	@Test
	void headlessWithoutOptionsSaysWhichAreNeeded() {
		var e = assertThrows(LabelLoopException.class, () -> newProject().show());
		assertEquals("New Project needs options in headless mode: folder=… name=… user=… mode=…", e.getMessage());
		assertTrue(new Dialog("Save Labels").show(), "a command without fields needs no options");
	}

	@Test
	void requiredFieldsMustNotBeEmpty() {
		Macro.setOptions("folder=[] name=x");
		Dialog d = newProject();
		d.show();
		var e = assertThrows(LabelLoopException.class, () -> d.required("folder"));
		assertEquals("New Project needs a value for folder.", e.getMessage());
	}
}
