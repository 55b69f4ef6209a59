package org.labelloop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.labelloop.backend.DemoProject;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.store.SqlProjectStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code labelloop demo [--fashion]}: makes a demo project from {@code test-data} (once) and starts ImageJ with the
 * LabelLoop menu and that project open.
 */
@Command(name = "demo", description = "Start ImageJ with LabelLoop installed and a demo project (made from test-data) open: microscopy "
		+ "and MRI, or Fashion-MNIST with --fashion.")
final class Demo implements Callable<Integer> {

	@Option(names = "--project", description = "Where the demo project lives (default: target/demo-project, or target/demo-fashion with --fashion).")
	Path project;

	@Option(names = "--fashion", description = "The Fashion-MNIST demo (20 pictures, their ten classes, half labelled: an image model to train) "
			+ "instead of the microscopy and MRI one.")
	boolean fashion;

	@Option(names = "--test-data", defaultValue = "test-data", description = "The images to build it from (default: ${DEFAULT-VALUE}).")
	Path testData;

	@Option(names = { "-u", "--user" }, defaultValue = "${sys:user.name}")
	String user;

	@Option(names = "--no-imagej", description = "Only make the project and ImageJ's plugins folder (<project>-imagej); do not start ImageJ.")
	boolean noImageJ;

	@Override
	public Integer call() throws IOException, InterruptedException {
		if (project == null) project = Path.of(fashion ? "target/demo-fashion" : "target/demo-project");
		if (!SqlProjectStore.isProject(project)) {
			System.out.println("Making the demo project in " + project.toAbsolutePath() + " ...");
			System.out.println(fashion ? DemoProject.createFashion(testData, project, user) : DemoProject.create(testData, project, user));
		}
		Path imagej = project.toAbsolutePath().resolveSibling(project.getFileName() + "-imagej");
		installMenu(imagej.resolve("plugins"));
		if (noImageJ) return 0;
		System.setProperty("plugins.dir", imagej.toString());
		String folder = project.toAbsolutePath().toString().replace("\\", "/");
		// -port0: a window of its own, never handed to another ImageJ already running on this machine
		ij.ImageJ.main(new String[] { "-port0", "-eval", "run(\"Open Project\", \"folder=[" + folder + "]\");\n"
				+ "run(\"Next Image\", \"mode=sequential\");" });
		java.awt.EventQueue.invokeLater(Demo::arrange);
		// ImageJ ends the JVM when the user quits it; until then, keep the command line from exiting.
		while (ij.IJ.getInstance() != null) Thread.sleep(500);
		return 0;
	}

	/**
	 * Side by side on the first screen, as a labeller would put them: ImageJ's bar top left, the image under it, the
	 * ROI Manager beside the image, the log below; the LabelLoop panel places itself at the right edge. ImageJ alone would stack them
	 * in the middle, under the panel. Only the demo moves ImageJ's windows.
	 */
	private static void arrange() {
		java.awt.Frame bar = ij.IJ.getInstance();
		if (bar == null) return;
		bar.setLocation(0, 0);
		ij.ImagePlus imp = ij.WindowManager.getCurrentImage();
		java.awt.Window image = imp == null ? null : imp.getWindow();
		if (image == null) return;
		image.setLocation(0, bar.getHeight() + 10);
		java.awt.Frame manager = ij.WindowManager.getFrame("ROI Manager");
		if (manager != null) manager.setLocation(image.getWidth() + 10, bar.getHeight() + 10);
		java.awt.Frame log = ij.WindowManager.getFrame("Log");
		if (log != null) log.setLocation(0, image.getY() + image.getHeight() + 10);
	}

	/**
	 * ImageJ builds its Plugins menu from {@code plugins.config} inside jars of its plugins folder whose name holds
	 * an underscore. The classes themselves are already on this jar's class path, so a jar with only that file is
	 * enough.
	 */
	static void installMenu(Path pluginsDir) throws IOException {
		Files.createDirectories(pluginsDir);
		Manifest mf = new Manifest();
		mf.getMainAttributes().putValue("Manifest-Version", "1.0");
		try (InputStream config = Demo.class.getResourceAsStream("/plugins.config")) {
			if (config == null) throw new LabelLoopException("plugins.config is missing from the LabelLoop jar; rebuild with mvn package.");
			try (OutputStream os = Files.newOutputStream(pluginsDir.resolve("LabelLoop_.jar"));
					JarOutputStream jar = new JarOutputStream(os, mf)) {
				jar.putNextEntry(new JarEntry("plugins.config"));
				config.transferTo(jar);
				jar.closeEntry();
			}
		}
	}
}
