package org.labelloop.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.Similar;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Task;

/**
 * A whole project at scale, as one labeller meets it: {@code images} synthetic 28×28 images of 10 classes (a bright
 * square whose place is the class, on noise) added from files; {@code labelled} of them labelled and a first Retrain;
 * then {@code added} more labels and the Retrain that matters (issue 17: "Retrain after 100 new labels"). Between the
 * two, as a labeller would, it asks Next Image for images (the first of these picks is the first of the JVM, its code
 * not compiled yet) and waits for the first map (UMAP of every image, from scratch). Timed: each Retrain end to end,
 * the first Next Image pick right after it and the picks after that, how long after it the Embedding Map (computed in
 * the background) is ready, Similar Items, and Next Image and Similar Items asked <em>while</em> a third Retrain runs
 * (answered from the version before it). Last, a hundredth more images are added and a fourth Retrain embeds them: it
 * and the map after it are timed (the new points are placed into the map rather than laid out by a new UMAP).
 */
public final class ProjectBenchmark {

	public record Config(int images, int labelled, int added, int picks, long seed) {
	}

	/** Milliseconds of repeated calls. */
	public record Timing(int count, double p50Ms, double p95Ms, double maxMs) {
		static Timing of(List<Double> ms) {
			double[] a = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			if (a.length == 0) return new Timing(0, Double.NaN, Double.NaN, Double.NaN);
			return new Timing(a.length, round(a[(int) Math.floor(0.5 * (a.length - 1))]), round(a[(int) Math.ceil(0.95 * (a.length - 1))]), round(a[a.length - 1]));
		}
	}

	public record Result(Map<String, Object> machine, int images, int labelled, int added, double makeImagesS, double addImagesS, double firstRetrainS,
			double firstPickColdMs, double firstMapS, double retrainAfterAddedS, String retrainAfterAddedModel, double firstPickMs, Timing nextPicks, Timing similar, double mapReadyS, int mapPoints,
			Timing nextDuringRetrain, Timing similarDuringRetrain, String answeredDuringRetrainBy, String retrainRunningAlongside, double retrainAlongsideS,
			boolean firstPickDuringRetrainFromPreviousVersion, int newImages, double retrainAfterNewImagesS, double mapAfterNewImagesS,
			String mapAfterNewImagesNote) {
	}

	public static Result run(Config cfg, Path work, PrintWriter out) throws Exception {
		Map<String, Object> machine = Machine.describe();
		Path project = work.resolve("project"), folder = project.resolve("images");
		long t0 = System.nanoTime();
		int[] classOf = makeImages(folder, cfg.images(), cfg.seed());
		double makeS = seconds(t0);
		say(out, "%,d images written in %.1f s", cfg.images(), makeS);
		try (LocalBackend b = LocalBackend.create(project, "project-bench", "bench")) {
			t0 = System.nanoTime();
			b.addImages(List.of(folder), Progress.NONE);
			double addS = seconds(t0);
			say(out, "added to the project in %.1f s", addS);
			long[] classIds = new long[10];
			for (int c = 0; c < 10; c++) classIds[c] = b.addClass("class" + c, null, null).id();
			List<ImageRecord> images = new ArrayList<>(b.images());
			images.sort(java.util.Comparator.comparing(ImageRecord::path));
			// which images are labelled: a shuffled order, the first `labelled`, then `added` more
			List<Integer> order = new ArrayList<>(IntStream.range(0, images.size()).boxed().toList());
			java.util.Collections.shuffle(order, new Random(cfg.seed()));
			label(b, images, order.subList(0, cfg.labelled()), classOf, classIds);
			TrainOptions image = TrainOptions.defaults().withTasks(List.of(Task.IMAGE));
			t0 = System.nanoTime();
			b.retrain(image, Progress.NONE);
			double firstRetrainS = seconds(t0);
			long firstRetrained = System.nanoTime();
			say(out, "first Retrain on %d labels: %.1f s", cfg.labelled(), firstRetrainS);
			// the labeller asks Next Image for the images to label next: the first pick of this JVM, its code not compiled yet
			t0 = System.nanoTime();
			pick(b);
			double firstPickColdMs = millis(t0);
			for (int i = 0; i < cfg.picks(); i++) pick(b);
			// and the map of v1 comes before the next labels: UMAP of every image, from scratch, in the background
			double firstMapS = mapReadyS(b, b.activeModel(Task.IMAGE).orElseThrow(), firstRetrained);
			say(out, "first Next pick of the JVM %.1f ms; the first map ready %.1f s after the first Retrain", firstPickColdMs, firstMapS);

			label(b, images, order.subList(cfg.labelled(), cfg.labelled() + cfg.added()), classOf, classIds);
			t0 = System.nanoTime();
			TrainReport r = b.retrain(image, Progress.NONE);
			double retrainS = seconds(t0);
			ModelVersion v = r.model(Task.IMAGE).orElseThrow();
			say(out, "Retrain after %d new labels: %.1f s (%s)", cfg.added(), retrainS, v.name());

			long retrained = System.nanoTime();
			pick(b);
			double firstPickMs = millis(retrained);
			// Retrain computes the map in the background: how long until the new version's map is there
			double mapReadyS = mapReadyS(b, v, retrained);
			say(out, "first Next pick %.1f ms after the Retrain; its map ready in the background after %.1f s", firstPickMs, mapReadyS);
			List<Double> picks = new ArrayList<>();
			for (int i = 0; i < cfg.picks(); i++) {
				t0 = System.nanoTime();
				pick(b);
				picks.add(millis(t0));
			}
			Random rnd = new Random(cfg.seed() + 1);
			List<Double> similar = new ArrayList<>();
			for (int i = 0; i < cfg.picks(); i++) {
				String item = Similar.item("image", images.get(rnd.nextInt(images.size())).id());
				t0 = System.nanoTime();
				Similar.Result s = b.similar(Similar.Query.nearest(item, 10, ItemFilter.ALL));
				similar.add(millis(t0));
				if (s.items().size() != 10) throw new IllegalStateException("Similar Items gave " + s.items().size() + " items, not 10: " + s.message());
			}
			Similar.MapLayout map = b.map(Task.IMAGE, Progress.NONE);
			if (map.points().size() != cfg.images()) throw new IllegalStateException("The map has " + map.points().size() + " points, not " + cfg.images());

			// a third Retrain (one more label) in the background; meanwhile Next Image and Similar Items are asked
			label(b, images, order.subList(cfg.labelled() + cfg.added(), cfg.labelled() + cfg.added() + 1), classOf, classIds);
			ExecutorService ex = Executors.newSingleThreadExecutor();
			long tr = System.nanoTime();
			Future<TrainReport> third = ex.submit(() -> b.retrain(image, Progress.NONE));
			List<Double> nextDuring = new ArrayList<>(), similarDuring = new ArrayList<>();
			java.util.Set<String> answeredBy = new java.util.TreeSet<>();
			boolean firstFromPrevious = false;
			Thread.sleep(50); // let it start
			while (!third.isDone()) {
				t0 = System.nanoTime();
				Optional<NextChoice> c = pick(b);
				nextDuring.add(millis(t0));
				if (nextDuring.size() == 1) firstFromPrevious = c.isPresent() && !third.isDone() && b.activeModel(Task.IMAGE).map(ModelVersion::id).orElse(-1L) == v.id();
				String item = Similar.item("image", images.get(rnd.nextInt(images.size())).id());
				t0 = System.nanoTime();
				Similar.Result s = b.similar(Similar.Query.nearest(item, 10, ItemFilter.ALL));
				similarDuring.add(millis(t0));
				if (!third.isDone()) answeredBy.add(s.modelVersion());
				Thread.sleep(20);
			}
			ModelVersion next = third.get().model(Task.IMAGE).orElseThrow();
			double alongsideS = seconds(tr);
			ex.shutdown();
			say(out, "third Retrain (%s) took %.1f s with %d Next Image and Similar Items calls beside it, answered by %s", next.name(), alongsideS,
					nextDuring.size(), answeredBy);
			mapReadyS(b, next, tr);

			// a hundredth more images arrive, and a Retrain embeds them: their points are placed into the map, not a new UMAP
			int more = Math.max(1, cfg.images() / 100);
			Path moreFolder = project.resolve("more");
			makeImages(moreFolder, more, cfg.seed() + 7);
			b.addImages(List.of(moreFolder), Progress.NONE);
			t0 = System.nanoTime();
			ModelVersion fourth = b.retrain(image, Progress.NONE).model(Task.IMAGE).orElseThrow();
			double retrainNewImagesS = seconds(t0);
			long fourthDone = System.nanoTime();
			double mapNewImagesS = mapReadyS(b, fourth, fourthDone);
			Similar.MapLayout placedMap = b.map(Task.IMAGE, Progress.NONE);
			if (placedMap.points().size() != cfg.images() + more)
				throw new IllegalStateException("The map has " + placedMap.points().size() + " points, not " + (cfg.images() + more));
			say(out, "%d new images: Retrain (%s) %.1f s, its map ready %.1f s after it (%s)", more, fourth.name(), retrainNewImagesS, mapNewImagesS,
					placedMap.note().isEmpty() ? "a new UMAP" : placedMap.note());
			Timing np = Timing.of(picks);
			return new Result(machine, cfg.images(), cfg.labelled(), cfg.added(), round(makeS), round(addS), round(firstRetrainS),
					round(firstPickColdMs), round(firstMapS), round(retrainS), v.name(),
					round(firstPickMs), np, Timing.of(similar), round(mapReadyS), map.points().size(), Timing.of(nextDuring), Timing.of(similarDuring),
					String.join(", ", answeredBy), next.name(), round(alongsideS), firstFromPrevious, more, round(retrainNewImagesS), round(mapNewImagesS),
					placedMap.note());
		}
	}

	/** Seconds from {@code since} until the map of a version is the current one (polled every 50 ms). */
	private static double mapReadyS(LocalBackend b, ModelVersion v, long since) throws InterruptedException {
		while (b.mapNow(Task.IMAGE).filter(Similar.MapLayout::current).map(Similar.MapLayout::modelVersion).filter(v.name()::equals).isEmpty()) {
			if (seconds(since) > 900) throw new IllegalStateException("The map of " + v.name() + " was not ready after 900 s.");
			Thread.sleep(50);
		}
		return seconds(since);
	}

	/** Next Image (entropy), leased and given back at once. */
	private static Optional<NextChoice> pick(LocalBackend b) {
		Optional<NextChoice> c = b.nextItem("entropy", NextOptions.DEFAULT);
		c.ifPresent(x -> b.releaseItem(x.image().id()));
		return c;
	}

	private static void label(LocalBackend b, List<ImageRecord> images, List<Integer> which, int[] classOf, long[] classIds) {
		List<Edit> edits = new ArrayList<>();
		for (int i : which) {
			ImageRecord im = images.get(i);
			edits.add(new Edit.Create(im.id(), AnnotationData.human(null, classIds[classOf[index(im)]], "bench")));
		}
		b.apply("label " + edits.size() + " images", edits);
	}

	private static int index(ImageRecord im) {
		String name = Path.of(im.path()).getFileName().toString();
		return Integer.parseInt(name.substring(3, name.indexOf('.')));
	}

	/** Image i of class i % 10: a bright 7×7 square at the class's place on a 5×2 grid, on uniform noise. */
	static int[] makeImages(Path folder, int n, long seed) throws Exception {
		Files.createDirectories(folder);
		int[] classOf = new int[n];
		int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
		ExecutorService ex = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> parts = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int first = t;
				parts.add(ex.submit(() -> {
					for (int i = first; i < n; i += threads) {
						Random rnd = new Random(seed * 1_000_003L + i);
						int c = i % 10;
						classOf[i] = c;
						BufferedImage im = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
						int x0 = 1 + (c % 5) * 5 + rnd.nextInt(2), y0 = 3 + (c / 5) * 13 + rnd.nextInt(3);
						for (int y = 0; y < 28; y++)
							for (int x = 0; x < 28; x++) {
								boolean in = x >= x0 && x < x0 + 7 && y >= y0 && y < y0 + 7;
								im.getRaster().setSample(x, y, 0, in ? 170 + rnd.nextInt(86) : rnd.nextInt(120));
							}
						try {
							ImageIO.write(im, "png", folder.resolve(String.format(Locale.ROOT, "img%07d.png", i)).toFile());
						} catch (IOException e) {
							throw new UncheckedIOException(e);
						}
					}
					return null;
				}));
			}
			for (Future<?> f : parts) f.get();
		} finally {
			ex.shutdown();
		}
		return classOf;
	}

	public static String table(Result r) {
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "project of %,d images, %d labelled, then %d more%n", r.images(), r.labelled(), r.added()));
		sb.append(String.format(Locale.ROOT, "%-44s %10s%n", "step", "result"));
		row(sb, "add the images (s)", r.addImagesS());
		row(sb, "first Retrain (s)", r.firstRetrainS());
		row(sb, "first Next pick of the JVM, after it (ms)", r.firstPickColdMs());
		row(sb, "first map, " + r.mapPoints() + " points, ready after it (s)", r.firstMapS());
		row(sb, "Retrain after " + r.added() + " new labels (s)", r.retrainAfterAddedS());
		row(sb, "first Next pick after it (ms)", r.firstPickMs());
		row(sb, "next picks p50 / p95 (ms)", r.nextPicks().p50Ms(), r.nextPicks().p95Ms());
		row(sb, "Similar Items p50 / p95 (ms)", r.similar().p50Ms(), r.similar().p95Ms());
		row(sb, "map of " + r.mapPoints() + " points ready after it (s)", r.mapReadyS());
		row(sb, "Next during a Retrain p50 / p95 (ms)", r.nextDuringRetrain().p50Ms(), r.nextDuringRetrain().p95Ms());
		row(sb, "Similar during a Retrain p50 / p95 (ms)", r.similarDuringRetrain().p50Ms(), r.similarDuringRetrain().p95Ms());
		sb.append(String.format(Locale.ROOT, "answered during the Retrain (%.1f s) by %s%n", r.retrainAlongsideS(), r.answeredDuringRetrainBy()));
		row(sb, "Retrain after " + r.newImages() + " new images (s)", r.retrainAfterNewImagesS());
		row(sb, "their map ready after it (s)", r.mapAfterNewImagesS());
		return sb.toString();
	}

	private static void row(StringBuilder sb, String what, double... v) {
		sb.append(String.format(Locale.ROOT, "%-44s %10s%n", what, String.join(" / ", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x)).toList())));
	}

	private static void say(PrintWriter out, String format, Object... args) {
		out.println("  " + String.format(Locale.ROOT, format, args));
		out.flush();
	}

	private static double seconds(long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	private static double millis(long t0) {
		return (System.nanoTime() - t0) / 1e6;
	}

	static double round(double x) {
		return Math.round(x * 1000) / 1000.0;
	}
}
