package org.labelloop.fiji;

import java.awt.GraphicsEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.ImageJ;
import ij.Menus;

/**
 * Runs plain ImageJ 1 with LabelLoop's commands when {@code java.awt.headless=true}, for batch jobs on machines
 * without a display:
 *
 * <pre>
 * java -Djava.awt.headless=true -cp ij.jar:LabelLoop_.jar:... org.labelloop.fiji.HeadlessImageJ -batch job.ijm
 * </pre>
 *
 * Headless, ImageJ 1 cannot build its menus (they are AWT components), so a macro's {@code run("Next Image", …)}
 * finds no command. This registers the commands of {@code plugins.config} in ImageJ's command table without menus,
 * then hands the arguments to {@link ImageJ#main}. Fiji's {@code --headless} mode does the equivalent itself.
 */
public final class HeadlessImageJ {

	private static final Pattern LINE = Pattern.compile("^\\s*[^#\"]+,\\s*\"([^\"]+)\"\\s*,\\s*(\\S+)\\s*$");

	private HeadlessImageJ() {
	}

	public static void main(String[] args) {
		installCommands();
		ImageJ.main(args);
	}

	/** Adds LabelLoop's commands to ImageJ's command table (creating the table when headless); returns how many. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static synchronized int installCommands() {
		Map<String, String> commands = commands();
		Hashtable table = GraphicsEnvironment.isHeadless() ? null : Menus.getCommands();
		try {
			if (table == null) {
				Field f = Menus.class.getDeclaredField("pluginsTable");
				f.setAccessible(true);
				table = (Hashtable) f.get(null);
				if (table == null) {
					table = new Hashtable();
					f.set(null, table);
				}
			}
		} catch (ReflectiveOperationException | RuntimeException e) {
			throw new IllegalStateException("Cannot register LabelLoop's commands with this ImageJ (" + e + ")", e);
		}
		for (Map.Entry<String, String> c : commands.entrySet())
			table.putIfAbsent(c.getKey(), c.getValue());
		// Headless, ImageJ's own menu commands are missing too (saveAs("PNG", …) runs "PNG..."): add them, as
		// Fiji's --headless does, so macros that save their results work the same headless.
		for (Map.Entry<String, String> c : imageJCommands().entrySet())
			table.putIfAbsent(c.getKey(), c.getValue());
		return commands.size();
	}

	private static final Pattern IJ_COMMAND = Pattern.compile("^[a-z_]+\\d+=\"([^\"]+)\",(\\S.*)$");

	/** ImageJ's menu commands (name → class with its argument), from the {@code IJ_Props.txt} in ij.jar. */
	static Map<String, String> imageJCommands() {
		Map<String, String> commands = new LinkedHashMap<>();
		try (InputStream in = ImageJ.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) return commands;
			BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
			for (String line; (line = r.readLine()) != null;) {
				Matcher m = IJ_COMMAND.matcher(line.strip());
				if (m.matches() && !m.group(1).equals("-")) commands.put(m.group(1).strip(), m.group(2).strip());
			}
		} catch (IOException e) {
			throw new IllegalStateException("Cannot read ImageJ's IJ_Props.txt: " + e.getMessage(), e);
		}
		return commands;
	}

	/** Command name → class, from the {@code plugins.config} at the root of LabelLoop's jar. */
	static Map<String, String> commands() {
		Map<String, String> commands = new LinkedHashMap<>();
		try (InputStream in = HeadlessImageJ.class.getResourceAsStream("/plugins.config")) {
			if (in == null) throw new IllegalStateException("plugins.config is missing from LabelLoop's jar");
			BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			for (String line; (line = r.readLine()) != null;) {
				Matcher m = LINE.matcher(line);
				if (m.matches() && !m.group(1).equals("-")) commands.put(m.group(1), m.group(2));
			}
		} catch (IOException e) {
			throw new IllegalStateException("Cannot read plugins.config: " + e.getMessage(), e);
		}
		return commands;
	}
}
