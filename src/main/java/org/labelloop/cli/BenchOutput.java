package org.labelloop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every {@code bench} command has: {@code --json FILE} and the command's output (a picocli mixin). */
final class BenchOutput {
	@Option(names = "--json", description = "Write the results to this JSON file.")
	Path json;
	@Spec(Spec.Target.MIXEE)
	CommandSpec spec;

	/** A benchmark's own writer of its JSON file. */
	interface Writer {
		void write(Path json) throws IOException;
	}

	PrintWriter out() {
		return spec.commandLine().getOut();
	}

	/** Writes a result as indented snake_case JSON, if a file was asked for. */
	void write(Object result) throws IOException {
		write(file -> {
			if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
			new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT)
					.writeValue(file.toFile(), result);
		});
	}

	/** Runs a benchmark's own JSON writer, if a file was asked for, and says so; flushes the output either way. */
	void write(Writer writer) throws IOException {
		PrintWriter out = out();
		out.flush(); // print() does not flush and Main ends with System.exit
		if (json == null) return;
		writer.write(json);
		out.println("Wrote " + json);
		out.flush();
	}
}
