package org.labelloop.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.labelloop.TestData;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.store.ProjectStore;

/**
 * A small lab project on disk: the microscopy images and 8 Fashion-MNIST images copied inside it, classes
 * {@code cell}, {@code nucleus}, {@code top}, {@code footwear}, and four users with tokens: alice (admin), bob
 * (labeller), rita (reviewer), sam (researcher).
 */
record LabFixture(Path folder, Map<String, String> tokens) {

	static final List<String> FASHION = List.of("0000_ankle_boot.png", "0008_sandal.png", "0009_sneaker.png", "0011_sandal.png",
			"0001_pullover.png", "0004_shirt.png", "0006_coat.png", "0016_pullover.png");

	static LabFixture create(Path folder) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		for (String m : List.of("cell.png", "coins.png", "ihc.png")) Files.copy(TestData.path("microscopy/" + m), folder.resolve("images/" + m));
		for (String f : FASHION) Files.copy(TestData.path("fashion/" + f), folder.resolve("images/" + f));
		Map<String, String> tokens = new LinkedHashMap<>();
		try (LocalBackend b = LocalBackend.create(folder, "lab", "alice")) {
			b.addImages(List.of(folder.resolve("images")), Progress.NONE);
			for (String c : List.of("cell", "nucleus", "top", "footwear")) b.addClass(c, null, null);
			ProjectStore s = b.store();
			tokens.put("alice", Tokens.addUser(s, "alice", Role.ADMIN, "setup"));
			tokens.put("bob", Tokens.addUser(s, "bob", Role.LABELLER, "setup"));
			tokens.put("rita", Tokens.addUser(s, "rita", Role.REVIEWER, "setup"));
			tokens.put("sam", Tokens.addUser(s, "sam", Role.RESEARCHER, "setup"));
		}
		return new LabFixture(folder, tokens);
	}

	String token(String user) {
		return tokens.get(user);
	}
}
