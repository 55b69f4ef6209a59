package org.labelloop.fiji.ui;

import org.labelloop.core.model.Task;
import static org.labelloop.fiji.ui.SwingSupport.button;

import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;

import org.labelloop.backend.Backend;
import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.Similar;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.map.MapIndex;
import org.labelloop.core.map.MapRaster;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Progress;
import org.labelloop.fiji.LabelLoopSession;

/**
 * The Embedding Map window: every item of the active model version of a task as a point of its 2D layout, coloured
 * by class, prediction, uncertainty or status. Drag draws a lasso (the points inside are selected); right-drag (or
 * shift-drag) pans, the wheel zooms around the pointer; hovering shows the item's thumbnail, a click opens it. The
 * selection can be labelled in one bulk label or opened as a Similar Items gallery.
 * <p>
 * The points are drawn by {@link MapRaster} into an int array behind a {@link BufferedImage}, so 100,000 points
 * redraw in milliseconds. The layout comes from the backend in the background: the cached one (possibly an older
 * model version's, while the new one is computed after Retrain) first, then the current one; it follows the
 * project's {@code ProjectView}, so labels, undo and class changes by anyone recolour it.
 * <p>
 * Over 400 lines on purpose: one Swing window whose parts (canvas, lasso, zoom, hover, bulk label) share its state;
 * the drawing ({@link MapRaster}) and the point lookup ({@code MapIndex}) are already outside it.
 */
public final class EmbeddingMapWindow extends JFrame {

	public static final String TITLE = "LabelLoop Embedding Map";
	public static final List<String> COLOURINGS = List.of("class", "prediction", "uncertainty", "status");
	private static final int NONE = 0xffc8c8c8, BACKGROUND = 0xffffffff, FILTERED_OUT = 0xffe2e2e2;

	private final LabelLoopSession session;
	private final Backend.Similarity backend;
	private final Task task;
	private final Thumbnails thumbnails;
	private final Canvas canvas = new Canvas();
	private final JComboBox<String> colourBy = new JComboBox<>(COLOURINGS.toArray(String[]::new));
	private final JComboBox<String> labelClass = new JComboBox<>();
	private final JComboBox<String> labelAs = new JComboBox<>(new String[] { "weak", "accepted" });
	private final JLabel status = new JLabel(" "), preview = new JLabel(), previewText = new JLabel(" "), legend = new JLabel(" ");
	private final AtomicInteger running = new AtomicInteger();
	private Similar.MapLayout layout;
	/** Image id → file name, read off the event thread with each layout (one call), for the hover panel. */
	private volatile Map<Long, String> imageNames = Map.of();
	/** Class name → ARGB, read off the event thread with each layout. */
	private volatile Map<String, Integer> classColours = Map.of();
	private float[] x = new float[0], y = new float[0];
	private int[] colours = new int[0];
	private MapIndex index;
	private final BitSet selected = new BitSet();
	private final javax.swing.JTextField filter = new javax.swing.JTextField(18);
	/** The points that pass the filter; null: no filter, every point. On the event thread. */
	private BitSet passing;
	private MapRaster.View view;
	private int hovered = -1;

	private EmbeddingMapWindow(LabelLoopSession session, Task task, String colouring, String filterText) {
		super(TITLE + " (" + task + ")");
		this.session = session;
		this.backend = session.require(Backend.Similarity.class);
		this.task = task;
		this.thumbnails = new Thumbnails(backend, 128);
		setDefaultCloseOperation(DISPOSE_ON_CLOSE);
		// labels, undo and class changes (by anyone) recolour the map; a new model version's map comes with Retrain
		Runnable unsubscribe = session.view().subscribe(u -> {
			if (!u.changes().revisions().isEmpty() || u.classes()) SwingUtilities.invokeLater(this::reload);
		});
		addWindowListener(new java.awt.event.WindowAdapter() {
			@Override
			public void windowClosed(java.awt.event.WindowEvent e) {
				unsubscribe.run();
			}
		});
		colourBy.setName("colour");
		colourBy.setSelectedItem(colouring);
		colourBy.addActionListener(e -> recolour());
		List<LabelClass> classes = backend.classes(); // one read as the window opens
		for (LabelClass c : classes) labelClass.addItem(c.name());
		classColours = colours(classes);
		labelClass.setName("class");
		labelAs.setName("as");
		JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT));
		top.add(new JLabel("Colour by"));
		top.add(colourBy);
		top.add(button("Fit", "fit", () -> {
			view = null;
			canvas.repaint();
		}));
		top.add(new JLabel("Filter"));
		filter.setName("filter");
		filter.setText(filterText == null ? "" : filterText.strip());
		filter.setToolTipText("<html>Only the items that pass are drawn strong and lassoed, e.g. <tt>not reviewed</tt>, <tt>class:nucleus</tt>,"
				+ "<br><tt>modality:CT and area&gt;50</tt>, <tt>mean&lt;=120</tt>; Enter applies, empty shows every item</html>");
		filter.addActionListener(e -> applyFilter());
		top.add(filter);
		top.add(new JLabel("   Drag: lasso · right-drag: pan · wheel: zoom · click: open"));
		JPanel bottom = new JPanel(new FlowLayout(FlowLayout.LEFT));
		bottom.add(new JLabel("Label selection as"));
		bottom.add(labelClass);
		bottom.add(labelAs);
		bottom.add(button("Label", "label", this::labelSelection));
		bottom.add(button("Open as gallery", "gallery", this::gallery));
		bottom.add(button("Flag…", "flag", () -> Flags.ask(this, backend.require(Backend.Comments.class), selection(), status::setText)));
		bottom.add(button("Clear selection", "clear", () -> {
			selected.clear();
			canvas.repaint();
			status.setText(" ");
		}));
		JPanel south = new JPanel(new BorderLayout());
		south.add(bottom, BorderLayout.NORTH);
		status.setName("status");
		status.setBorder(BorderFactory.createEmptyBorder(2, 8, 4, 8));
		south.add(status, BorderLayout.SOUTH);
		JPanel side = new JPanel(new BorderLayout());
		side.setPreferredSize(new Dimension(150, 200));
		preview.setHorizontalAlignment(JLabel.CENTER);
		preview.setPreferredSize(new Dimension(140, 140));
		side.add(preview, BorderLayout.NORTH);
		previewText.setVerticalAlignment(JLabel.TOP);
		side.add(previewText, BorderLayout.CENTER);
		legend.setName("legend");
		legend.setVerticalAlignment(JLabel.BOTTOM);
		legend.setBorder(BorderFactory.createTitledBorder("Colours"));
		side.add(legend, BorderLayout.SOUTH);
		canvas.setName("canvas");
		canvas.setPreferredSize(new Dimension(640, 480));
		add(top, BorderLayout.NORTH);
		add(canvas, BorderLayout.CENTER);
		add(side, BorderLayout.EAST);
		add(south, BorderLayout.SOUTH);
		pack();
	}

	/** The map window open on the session's project, or null. */
	public static EmbeddingMapWindow current() {
		EmbeddingMapWindow w = LabelLoopSession.get().window(EmbeddingMapWindow.class);
		return w != null && w.isDisplayable() ? w : null;
	}

	/** Opens the map of a task's active model version (replacing a map window of another project or task). On the event thread. */
	public static EmbeddingMapWindow show(LabelLoopSession session, Task task, String colouring) {
		return show(session, task, colouring, "");
	}

	/** {@link #show(LabelLoopSession, Task, String)} with a filter (blank: every item). */
	public static EmbeddingMapWindow show(LabelLoopSession session, Task task, String colouring, String filterText) {
		EmbeddingMapWindow w = current();
		if (w == null || w.backend != session.backend() || !w.task.equals(task)) {
			if (w != null) w.dispose();
			w = new EmbeddingMapWindow(session, task, colouring, filterText);
			session.setWindow(EmbeddingMapWindow.class, w);
			w.setLocationByPlatform(true);
		} else {
			w.colourBy.setSelectedItem(colouring);
			w.filter.setText(filterText == null ? "" : filterText.strip());
		}
		w.setVisible(true);
		w.toFront();
		w.load();
		return w;
	}

	// ---- for tests and the screenshot -------------------------------------------------------------------------

	public boolean idle() {
		return running.get() == 0;
	}

	public boolean loaded() {
		return layout != null && layout.current();
	}

	/** The layout shown, or null before the first one arrives. */
	public Similar.MapLayout mapLayout() {
		return layout;
	}

	public int points() {
		return x.length;
	}

	public List<String> selection() {
		List<String> out = new ArrayList<>();
		for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) out.add(layout.points().get(i).item());
		return out;
	}

	/** Where an item is drawn, in canvas pixels (null if it is not on the map). */
	public Point pixelOf(String item) {
		if (layout == null || view == null) return null;
		for (int i = 0; i < x.length; i++)
			if (layout.points().get(i).item().equals(item)) return new Point((int) Math.round(view.toPixelX(x[i])), (int) Math.round(view.toPixelY(y[i])));
		return null;
	}

	public JComponent canvas() {
		return canvas;
	}

	public String statusText() {
		return status.getText();
	}

	/** How many points pass the filter ({@link #points()} without one). */
	public int passingPoints() {
		return passing == null ? x.length : passing.cardinality();
	}

	/** Types a filter and applies it, as Enter in the filter box does. On the event thread. */
	public void filter(String text) {
		filter.setText(text);
		applyFilter();
	}

	/** Asks the project which items pass the filter; the others are drawn faint and left out of lassos. */
	private void applyFilter() {
		String text = filter.getText().strip();
		if (text.isEmpty()) {
			passing = null;
			recolour();
			return;
		}
		Similar.MapLayout l = layout;
		if (l == null) return; // applied when the layout arrives
		background(() -> {
			ItemFilter f = ItemFilter.parse(text);
			java.util.Set<String> pass = backend.matching(task, f);
			SwingUtilities.invokeLater(() -> {
				if (layout != l) return; // a newer layout applies the filter itself
				BitSet b = new BitSet();
				for (int i = 0; i < l.points().size(); i++)
					if (pass.contains(l.points().get(i).item())) b.set(i);
				passing = b;
				selected.and(b);
				recolour();
				status.setForeground(null);
				status.setText(b.cardinality() + " of " + l.points().size() + " pass the filter [" + f + "]");
			});
		});
	}

	/** What the hover panel says now. */
	public String previewText() {
		return previewText.getText();
	}

	// ---- loading ----------------------------------------------------------------------------------------------

	/** The cached layout at once (possibly an older version's), then the current one. */
	private void load() {
		status.setText("Loading the map…");
		background(() -> {
			classColours = colours(backend.classes());
			imageNames = imageNames();
			Optional<Similar.MapLayout> now = backend.mapNow(task);
			now.ifPresent(l -> SwingUtilities.invokeLater(() -> setLayout(l)));
			if (now.isPresent() && now.get().current()) return;
			SwingUtilities.invokeLater(() -> status.setText(now.isPresent() ? "Showing the map of " + now.get().modelVersion()
					+ " while the active model's map is computed…" : "Computing the map (UMAP)…"));
			Similar.MapLayout l = backend.map(task, new Progress() {
				@Override
				public void report(double fraction, String message) {
					SwingUtilities.invokeLater(() -> status.setText(String.format(Locale.ROOT, "Computing the map: %.0f%%", 100 * fraction)));
				}

				@Override
				public boolean isCancelled() {
					return !isDisplayable();
				}
			});
			SwingUtilities.invokeLater(() -> setLayout(l));
		});
	}

	/** Reloads colours after a label change (same layout: the model version did not change). */
	private void reload() {
		if (!isDisplayable()) return;
		background(() -> {
			classColours = colours(backend.classes());
			imageNames = imageNames();
			backend.mapNow(task).ifPresent(l -> SwingUtilities.invokeLater(() -> setLayout(l)));
		});
	}

	private void setLayout(Similar.MapLayout l) {
		boolean sameItems = layout != null && layout.modelVersion().equals(l.modelVersion());
		layout = l;
		int n = l.points().size();
		x = new float[n];
		y = new float[n];
		for (int i = 0; i < n; i++) {
			x[i] = l.points().get(i).x();
			y[i] = l.points().get(i).y();
		}
		index = new MapIndex(x, y);
		if (!sameItems) {
			selected.clear();
			view = null;
		}
		passing = null;
		recolour();
		if (!filter.getText().isBlank()) applyFilter();
		// a recolour after a label change keeps what the label said ("3 item(s) labelled …"); a new layout says what it is
		if (!sameItems) status.setText(n + " " + (task == Task.IMAGE ? "image(s)" : "ROI(s)") + ", model " + l.modelVersion() + " (" + l.method() + ")"
				+ (l.current() ? "" : " — not the active model's map yet") + (l.note() == null || l.note().isBlank() ? "" : " — " + l.note()));
	}

	private Map<Long, String> imageNames() {
		Map<Long, String> names = new HashMap<>();
		backend.images().forEach(im -> names.put(im.id(), im.name()));
		return names;
	}

	private static Map<String, Integer> colours(List<LabelClass> classes) {
		Map<String, Integer> out = new HashMap<>();
		for (LabelClass c : classes) out.put(c.name(), 0xff000000 | Integer.parseInt(c.color().substring(1), 16));
		return out;
	}

	private void recolour() {
		if (layout == null) return;
		Map<String, Integer> classColour = classColours;
		String by = (String) colourBy.getSelectedItem();
		int[] c = new int[x.length];
		for (int i = 0; i < c.length; i++) {
			Similar.Point p = layout.points().get(i);
			c[i] = switch (by) {
				case "prediction" -> p.predicted() == null ? NONE : classColour.getOrDefault(p.predicted(), NONE);
				case "uncertainty" -> Double.isNaN(p.confidence()) ? NONE : ramp(1 - p.confidence());
				case "status" -> statusColour(p.status());
				default -> p.label() == null ? NONE : classColour.getOrDefault(p.label(), NONE);
			};
			if (passing != null && !passing.get(i)) c[i] = FILTERED_OUT;
		}
		colours = c;
		legend.setText(legend(by, classColour));
		canvas.repaint();
	}

	/** What each colour means, with how many points have it: only the colours on the map, most points first. */
	private String legend(String by, Map<String, Integer> classColour) {
		if (by.equals("uncertainty"))
			return "<html>" + swatch(ramp(0)) + " sure<br>" + swatch(ramp(0.25)) + " between<br>" + swatch(ramp(0.5)) + " unsure<br>" + swatch(NONE)
					+ " no prediction</html>";
		Map<String, Integer> count = new java.util.LinkedHashMap<>(), colour = new HashMap<>();
		for (int i = 0; i < colours.length; i++) {
			Similar.Point p = layout.points().get(i);
			String key = switch (by) {
				case "prediction" -> p.predicted() == null ? "no prediction" : p.predicted();
				case "status" -> p.status() == null ? "no label" : p.status();
				default -> p.label() == null ? "no label" : p.label();
			};
			count.merge(key, 1, Integer::sum);
			colour.put(key, colours[i]);
		}
		StringBuilder b = new StringBuilder("<html>");
		count.entrySet().stream().sorted(Map.Entry.<String, Integer> comparingByValue().reversed())
				.forEach(e -> b.append(swatch(colour.get(e.getKey()))).append(' ').append(e.getKey()).append(" (").append(e.getValue()).append(")<br>"));
		return b.append("</html>").toString();
	}

	private static String swatch(int argb) {
		return String.format("<font color='#%06x'>\u25a0</font>", argb & 0xffffff);
	}

	/** The colour legend as shown (HTML). */
	public String legendText() {
		return legend.getText();
	}

	/** Blue (sure) to red (unsure). */
	private static int ramp(double u) {
		double t = Math.max(0, Math.min(1, u * 2));
		int r = (int) (40 + 215 * t), b = (int) (220 - 190 * t), g = (int) (90 - 40 * t);
		return 0xff000000 | r << 16 | g << 8 | b;
	}

	private static int statusColour(String s) {
		if (s == null) return NONE;
		return switch (s) {
			case "proposed" -> 0xfff58231;
			case "accepted" -> 0xff3cb44b;
			case "corrected" -> 0xff4363d8;
			case "rejected" -> 0xffe6194b;
			default -> NONE;
		};
	}

	// ---- actions ----------------------------------------------------------------------------------------------

	private List<Similar.Item> items(List<Similar.Point> points) {
		List<Similar.Item> out = new ArrayList<>();
		for (Similar.Point p : points) {
			Similar.ItemRef r = Similar.parse(p.item());
			out.add(new Similar.Item(p.item(), p.imageId(), r.isRoi() ? r.id() : null, backend.image(p.imageId()).name(), Double.NaN, p.label(),
					p.status(), null, null, null, null));
		}
		return out;
	}

	private void labelSelection() {
		if (selected.isEmpty()) {
			status.setText("Lasso some points first (drag around them).");
			return;
		}
		List<String> items = selection();
		String cls = (String) labelClass.getSelectedItem();
		boolean accepted = "accepted".equals(labelAs.getSelectedItem());
		status.setText("Labelling " + items.size() + " item(s)…");
		background(() -> {
			Similar.BulkReport r = backend.bulkLabel(new Similar.BulkLabel(items, cls, accepted, "map lasso of " + items.size()));
			session.refreshCurrent();
			SwingUtilities.invokeLater(() -> status.setText(r.summary() + " as " + cls + (accepted ? "" : " (weak)")
					+ " — Undo Label Change takes it back"));
			classColours = colours(backend.classes());
			backend.mapNow(task).ifPresent(l -> SwingUtilities.invokeLater(() -> {
				String text = status.getText();
				setLayout(l);
				status.setText(text);
			}));
		});
	}

	private void gallery() {
		if (selected.isEmpty()) {
			status.setText("Lasso some points first (drag around them).");
			return;
		}
		List<Similar.Point> points = new ArrayList<>();
		for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) points.add(layout.points().get(i));
		background(() -> {
			List<Similar.Item> items = items(points); // reads image names: off the event thread
			SwingUtilities.invokeLater(() -> SimilarItemsWindow.showItems(session, items, "lasso on the map"));
		});
	}

	private void hover(int i) {
		if (i == hovered) return;
		hovered = i;
		if (i < 0) {
			preview.setIcon(null);
			previewText.setText(" ");
			return;
		}
		Similar.Point p = layout.points().get(i);
		String name = imageNames.getOrDefault(p.imageId(), p.item());
		Similar.ItemRef ref = Similar.parse(p.item());
		previewText.setText("<html>" + ref.describe(name) + "<br>" + (p.label() == null ? "no class" : p.label()) + "<br>" + (p.status() == null ? "not labelled" : p.status())
				+ (p.predicted() == null ? "" : String.format(Locale.ROOT, "<br>model: %s %.2f", p.predicted(), p.confidence())) + "</html>");
		java.awt.image.BufferedImage t = thumbnails.peek(p.item());
		preview.setIcon(t == null ? null : new ImageIcon(t));
		if (t == null)
			background(() -> {
				thumbnails.of(p.item(), p.imageId());
				SwingUtilities.invokeLater(() -> {
					if (hovered == i) {
						hovered = -1;
						hover(i);
					}
				});
			});
	}

	private void background(Runnable work) {
		SwingSupport.background(running, work, m -> {
			status.setForeground(new Color(0xc62828));
			status.setText(m);
		});
	}

	// ---- the canvas -------------------------------------------------------------------------------------------

	private final class Canvas extends JComponent {
		private BufferedImage image;
		private int[] pixels;
		private Path2D.Double lasso;
		private Point pressed, last;
		private boolean panning, moved;

		Canvas() {
			MouseAdapter m = new MouseAdapter() {
				@Override
				public void mousePressed(MouseEvent e) {
					pressed = last = e.getPoint();
					moved = false;
					panning = SwingUtilities.isRightMouseButton(e) || SwingUtilities.isMiddleMouseButton(e) || e.isShiftDown();
					if (!panning) {
						lasso = new Path2D.Double();
						lasso.moveTo(e.getX(), e.getY());
					}
				}

				@Override
				public void mouseDragged(MouseEvent e) {
					if (view == null) return;
					if (pressed != null && pressed.distance(e.getPoint()) >= 4) moved = true;
					if (panning) view = view.pan(e.getX() - last.x, e.getY() - last.y);
					else if (lasso != null) lasso.lineTo(e.getX(), e.getY());
					last = e.getPoint();
					repaint();
				}

				@Override
				public void mouseReleased(MouseEvent e) {
					if (pressed == null || view == null || layout == null) return;
					boolean click = !moved && pressed.distance(e.getPoint()) < 4;
					if (click) {
						int i = index.nearest(view.toDataX(e.getX()), view.toDataY(e.getY()), 8 / view.scale());
						if (i >= 0 && !panning) {
							Similar.Point p = layout.points().get(i);
							background(() -> ItemOpener.open(session, p.item(), p.imageId()));
						}
					} else if (!panning && lasso != null) select(lasso);
					lasso = null;
					pressed = null;
					repaint();
				}

				@Override
				public void mouseMoved(MouseEvent e) {
					if (view == null || index == null) return;
					hover(index.nearest(view.toDataX(e.getX()), view.toDataY(e.getY()), 8 / view.scale()));
				}

				@Override
				public void mouseWheelMoved(MouseWheelEvent e) {
					if (view == null) return;
					view = view.zoom(Math.pow(1.25, -e.getPreciseWheelRotation()), e.getX(), e.getY());
					repaint();
				}
			};
			addMouseListener(m);
			addMouseMotionListener(m);
			addMouseWheelListener(m);
		}

		/** Points are drawn larger on small maps, where they are few and far apart. */
		private int radius() {
			return x.length < 2_000 ? 4 : x.length < 30_000 ? 3 : 2;
		}

		/** Selects the points inside a lasso drawn in pixels (replacing the selection; with Ctrl, adding to it). */
		private void select(Path2D.Double path) {
			List<double[]> pts = new ArrayList<>();
			double[] c = new double[6];
			for (var it = path.getPathIterator(null); !it.isDone(); it.next()) {
				it.currentSegment(c);
				pts.add(new double[] { view.toDataX(c[0]), view.toDataY(c[1]) });
			}
			if (pts.size() < 3) return;
			double[] px = new double[pts.size()], py = new double[pts.size()];
			for (int i = 0; i < px.length; i++) {
				px[i] = pts.get(i)[0];
				py[i] = pts.get(i)[1];
			}
			selected.clear();
			for (int i : index.inside(Geometry.polygon(px, py, null)))
				if (passing == null || passing.get(i)) selected.set(i);
			status.setText(selected.cardinality() + " selected: label them below, or open them as a gallery");
		}

		@Override
		protected void paintComponent(Graphics g) {
			int w = Math.max(1, getWidth()), h = Math.max(1, getHeight());
			if (image == null || image.getWidth() != w || image.getHeight() != h) {
				image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
				pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
			}
			if (view == null && x.length > 0) view = MapRaster.View.fit(x, y, w, h);
			if (view == null) view = new MapRaster.View(-1, 1, Math.min(w, h) / 2.0);
			MapRaster.render(x, y, colours.length == x.length ? colours : new int[x.length], selected, pixels, w, h, view, radius(), BACKGROUND);
			image.getRaster().getDataBuffer(); // pixels were written directly
			g.drawImage(image, 0, 0, null);
			if (lasso != null) {
				Graphics2D g2 = (Graphics2D) g;
				g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
				g2.setColor(new Color(0x1565c0));
				g2.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] { 4, 3 }, 0));
				g2.draw(lasso);
			}
		}
	}
}
