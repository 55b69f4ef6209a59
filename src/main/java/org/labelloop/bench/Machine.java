package org.labelloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark ran on, for its JSON and for docs/benchmarks.md. */
public final class Machine {
	private Machine() {
	}

	/** CPU model (Linux), cores, memory, OS, Java, date, load average. */
	public static Map<String, Object> describe() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("cpu", cpu());
		m.put("cores", Runtime.getRuntime().availableProcessors());
		m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
		m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
		m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		m.put("date", Instant.now().toString());
		// the machine may be shared: the 1-minute load average when the benchmark finished
		m.put("load_average", Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
		return m;
	}

	private static String cpu() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
				if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
		} catch (Exception e) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}
}
