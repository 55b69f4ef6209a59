package org.labelloop.fiji.ui;

import static org.labelloop.fiji.ui.SwingSupport.button;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;

import org.labelloop.backend.Backend;
import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.Similar;
import org.labelloop.core.model.LabelClass;
import org.labelloop.fiji.LabelLoopSession;

/**
 * The Similar Items window: a gallery of thumbnails with scores, for the current image or a selected ROI, or for a
 * set of items chosen on the Embedding Map. "+" and "−" on a tile mark it as a positive or negative example and
 * query again (recommend); the filter box restricts the answers ({@code not reviewed}, {@code class:nucleus}, …);
 * clicking a thumbnail selects it, double-clicking opens the item with its overlay; "Label selected as" writes one
 * bulk label, weak or accepted. Everything Swing happens on the event thread; queries, thumbnails, labels and
 * opening images run in {@link SwingWorker}s, and an answer that a newer query overtook is dropped.
 */
public final class SimilarItemsWindow extends JFrame {

	public static final String TITLE = "LabelLoop Similar Items";
	private static final int THUMB = 96;
	private static final Color POSITIVE = new Color(0x2e7d32), NEGATIVE = new Color(0xc62828), SELECTED = new Color(0x1565c0);

	private final LabelLoopSession session;
	private final Backend.Similarity backend;
	private final Thumbnails thumbnails;
	private final List<String> positives = new ArrayList<>(), negatives = new ArrayList<>();
	private final Set<String> selected = new LinkedHashSet<>();
	private final JTextField filter = new JTextField(18);
	private final JSpinner k = new JSpinner(new SpinnerNumberModel(24, 1, Similar.Query.MAX_K, 6));
	private final JComboBox<String> strategy = new JComboBox<>(new String[] { Similar.Query.AVERAGE_VECTOR, Similar.Query.BEST_SCORE });
	private final JComboBox<String> labelClass = new JComboBox<>();
	private final JComboBox<String> labelAs = new JComboBox<>(new String[] { "weak", "accepted" });
	private final JLabel examples = new JLabel(" "), status = new JLabel(" ");
	private final JButton retrain = new JButton("Compute embeddings (Retrain)…");
	private final JPanel grid = new JPanel(new GridLayout(0, 5, 4, 4));
	private final AtomicInteger generation = new AtomicInteger(), running = new AtomicInteger();
	private List<Similar.Item> shown = List.of();
	private String lastQuery = "";
	/** What the last action did, shown before the next answer's summary (a label re-queries at once). */
	private String notice;

	private SimilarItemsWindow(LabelLoopSession session) {
		super(TITLE);
		this.session = session;
		this.backend = session.require(Backend.Similarity.class);
		this.thumbnails = new Thumbnails(backend, THUMB);
		setDefaultCloseOperation(DISPOSE_ON_CLOSE);
		JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT));
		JButton search = button("Search", "search", this::query);
		filter.setName("filter");
		filter.addActionListener(e -> query());
		k.setName("k");
		strategy.setName("strategy");
		top.add(new JLabel("Filter:"));
		top.add(filter);
		top.add(new JLabel("k:"));
		top.add(k);
		top.add(strategy);
		top.add(search);
		top.add(button("Clear examples", "clear", () -> {
			positives.retainAll(positives.isEmpty() ? List.of() : List.of(positives.get(0)));
			negatives.clear();
			query();
		}));
		JPanel north = new JPanel(new BorderLayout());
		north.add(top, BorderLayout.NORTH);
		examples.setName("examples");
		examples.setBorder(BorderFactory.createEmptyBorder(0, 8, 4, 8));
		north.add(examples, BorderLayout.SOUTH);
		for (LabelClass c : backend.classes()) labelClass.addItem(c.name());
		labelClass.setName("class");
		labelAs.setName("as");
		JPanel bottom = new JPanel(new FlowLayout(FlowLayout.LEFT));
		bottom.add(button("Select all", "selectAll", () -> {
			shown.forEach(it -> selected.add(it.item()));
			render();
		}));
		bottom.add(button("Select none", "selectNone", () -> {
			selected.clear();
			render();
		}));
		bottom.add(new JLabel("Label selected as"));
		bottom.add(labelClass);
		bottom.add(labelAs);
		bottom.add(button("Label", "label", this::labelSelected));
		bottom.add(button("Flag…", "flag", () -> Flags.ask(this, backend.require(Backend.Comments.class), List.copyOf(selected), status::setText)));
		JPanel south = new JPanel(new BorderLayout());
		south.add(bottom, BorderLayout.NORTH);
		status.setName("status");
		status.setBorder(BorderFactory.createEmptyBorder(2, 8, 4, 8));
		JPanel statusLine = new JPanel(new BorderLayout());
		statusLine.add(status, BorderLayout.CENTER);
		// offered when an example has no embedding yet: Retrain computes it (its dialog, recorded like any command)
		retrain.setName("retrain");
		retrain.setVisible(false);
		retrain.addActionListener(e -> {
			retrain.setVisible(false);
			ij.IJ.doCommand("Retrain");
		});
		statusLine.add(retrain, BorderLayout.EAST);
		south.add(statusLine, BorderLayout.SOUTH);
		JPanel gridHolder = new JPanel(new BorderLayout());
		gridHolder.add(grid, BorderLayout.NORTH);
		JScrollPane scroll = new JScrollPane(gridHolder);
		scroll.getVerticalScrollBar().setUnitIncrement(24);
		scroll.setPreferredSize(new Dimension(5 * (THUMB + 74), 3 * (THUMB + 60)));
		add(north, BorderLayout.NORTH);
		add(scroll, BorderLayout.CENTER);
		add(south, BorderLayout.SOUTH);
		pack();
	}

	/** The window shown now, or null (for tests and for reuse by the commands). */
	public static SimilarItemsWindow current() {
		SimilarItemsWindow w = LabelLoopSession.get().window(SimilarItemsWindow.class);
		return w != null && w.isDisplayable() ? w : null;
	}

	/** Opens (or reuses) the window and queries the items like {@code item}. Call on the event thread. */
	public static SimilarItemsWindow showQuery(LabelLoopSession session, String item, List<String> negatives, int k, String filter, String strategy) {
		SimilarItemsWindow w = window(session);
		w.positives.clear();
		w.positives.add(item);
		w.negatives.clear();
		w.negatives.addAll(negatives);
		w.k.setValue(k);
		w.filter.setText(filter == null ? "" : filter);
		w.strategy.setSelectedItem(strategy == null || strategy.isBlank() ? Similar.Query.AVERAGE_VECTOR : strategy);
		w.query();
		return w;
	}

	/** Opens (or reuses) the window as a gallery of the given items, e.g. a lasso on the map. Call on the event thread. */
	public static SimilarItemsWindow showItems(LabelLoopSession session, List<Similar.Item> items, String what) {
		SimilarItemsWindow w = window(session);
		w.positives.clear();
		w.negatives.clear();
		w.generation.incrementAndGet();
		w.lastQuery = what;
		w.examples.setText(what + " — mark + or − to search for more like these");
		w.selected.clear();
		w.load(items, items.size() + " item(s): " + what);
		return w;
	}

	private static SimilarItemsWindow window(LabelLoopSession session) {
		SimilarItemsWindow w = current();
		if (w == null || w.backend != session.backend()) {
			if (w != null) w.dispose();
			w = new SimilarItemsWindow(session);
			session.setWindow(SimilarItemsWindow.class, w);
			w.setLocationByPlatform(true);
		}
		w.setVisible(true);
		w.toFront();
		return w;
	}

	/** Whether no query, label or thumbnail work is running (tests wait for this). */
	public boolean idle() {
		return running.get() == 0;
	}

	/** Items shown, best first. */
	public List<String> items() {
		return shown.stream().map(Similar.Item::item).toList();
	}

	public List<String> positives() {
		return List.copyOf(positives);
	}

	public List<String> negatives() {
		return List.copyOf(negatives);
	}

	public String statusText() {
		return status.getText();
	}

	/** Runs the query of the examples, filter, k and strategy shown, off the event thread. */
	void query() {
		if (positives.isEmpty() && negatives.isEmpty()) {
			status.setText("Mark an item with + (like this) or − (unlike this) to search.");
			return;
		}
		Similar.Query q;
		try {
			String s = (String) strategy.getSelectedItem();
			if (positives.isEmpty()) s = Similar.Query.BEST_SCORE;
			q = new Similar.Query(positives, negatives, (Integer) k.getValue(), ItemFilter.parse(filter.getText()), s);
		} catch (IllegalArgumentException e) {
			error(e.getMessage());
			return;
		}
		List<String> like = List.copyOf(positives), unlike = List.copyOf(negatives);
		status.setForeground(Color.DARK_GRAY);
		status.setText("Searching…");
		retrain.setVisible(false);
		int gen = generation.incrementAndGet();
		background(() -> {
			String named = "Like: " + names(like) + "    Unlike: " + names(unlike);
			SwingUtilities.invokeLater(() -> {
				if (gen == generation.get()) examples.setText(named);
			});
			Similar.Result r = backend.similar(q);
			for (Similar.Item it : r.items()) thumbnails.of(it.item(), it.imageId());
			SwingUtilities.invokeLater(() -> {
				if (gen != generation.get()) return; // overtaken by a newer query
				lastQuery = q.describe();
				selected.retainAll(r.items().stream().map(Similar.Item::item).toList());
				String how = r.items().size() + " item(s), model " + r.modelVersion() + (r.exact() ? ", exact search" : ", approximate search");
				String done = notice == null ? "" : notice + " — ";
				notice = null;
				load(r.items(), done + (r.items().isEmpty() ? r.message() : how));
			});
		});
	}

	/** The examples by name ({@code coins.png}, {@code ROI 12 on coins.png}), or "—"; off the event thread. */
	private String names(List<String> items) {
		return items.isEmpty() ? "—" : String.join(", ", items.stream().map(i -> Similar.describe(backend, i)).toList());
	}

	/** The examples line: {@code Like: ROI 12 on coins.png    Unlike: —}. */
	public String examplesText() {
		return examples.getText();
	}

	private void load(List<Similar.Item> items, String message) {
		shown = List.copyOf(items);
		status.setForeground(Color.DARK_GRAY);
		status.setText(message);
		render();
		int gen = generation.get();
		background(() -> {
			for (Similar.Item it : items) thumbnails.of(it.item(), it.imageId());
			SwingUtilities.invokeLater(() -> {
				if (gen == generation.get()) render();
			});
		});
	}

	/** Rebuilds the tiles from {@link #shown}; on the event thread. */
	private void render() {
		grid.removeAll();
		for (Similar.Item it : shown) grid.add(tile(it));
		grid.revalidate();
		grid.repaint();
	}

	private JPanel tile(Similar.Item it) {
		JPanel t = new JPanel(new BorderLayout());
		t.setName("tile:" + it.item());
		boolean sel = selected.contains(it.item());
		Color rim = positives.contains(it.item()) ? POSITIVE : negatives.contains(it.item()) ? NEGATIVE : sel ? SELECTED : Color.LIGHT_GRAY;
		t.setBorder(BorderFactory.createLineBorder(rim, sel ? 3 : 1));
		JLabel picture = new JLabel();
		picture.setName("thumb:" + it.item());
		picture.setHorizontalAlignment(JLabel.CENTER);
		picture.setPreferredSize(new Dimension(THUMB, THUMB));
		BufferedImage img = cachedThumbnail(it);
		if (img != null) picture.setIcon(new ImageIcon(img));
		picture.setToolTipText(Similar.parse(it.item()).describe(it.imageName())
				+ (it.area() == null ? "" : String.format(Locale.ROOT, " · area %.4g, mean %.4g", it.area(), it.mean())));
		picture.addMouseListener(new MouseAdapter() {
			@Override
			public void mouseClicked(MouseEvent e) {
				if (e.getClickCount() >= 2) open(it);
				else toggle(it.item());
			}
		});
		t.add(picture, BorderLayout.CENTER);
		String score = Double.isNaN(it.score()) ? "" : String.format(Locale.ROOT, "%.3f ", it.score());
		JLabel text = new JLabel("<html>" + score + (it.label() == null ? "<i>no class</i>" : it.label()) + "<br><small>"
				+ (it.status() == null ? "not labelled" : it.status() + (it.origin() == null ? "" : " · " + it.origin())) + "</small></html>");
		text.setBorder(BorderFactory.createEmptyBorder(2, 4, 2, 4));
		JPanel marks = new JPanel(new GridLayout(1, 2));
		marks.add(mark("+", "plus:" + it.item(), () -> mark(it.item(), true)));
		marks.add(mark("\u2212", "minus:" + it.item(), () -> mark(it.item(), false)));
		JPanel south = new JPanel(new BorderLayout());
		south.add(text, BorderLayout.CENTER);
		south.add(marks, BorderLayout.EAST);
		t.add(south, BorderLayout.SOUTH);
		return t;
	}

	/** Made in the background; null until then (the tiles are redrawn when all are ready). */
	private BufferedImage cachedThumbnail(Similar.Item it) {
		return thumbnails.peek(it.item());
	}

	private static JButton mark(String text, String name, Runnable action) {
		JButton b = button(text, name, action);
		b.setMargin(new java.awt.Insets(0, 4, 0, 4));
		return b;
	}

	/** Marks an item as a positive (or negative) example, or unmarks it, and queries again. */
	void mark(String item, boolean positive) {
		List<String> to = positive ? positives : negatives, other = positive ? negatives : positives;
		other.remove(item);
		if (to.contains(item)) to.remove(item);
		else to.add(item);
		selected.remove(item);
		query();
	}

	private void toggle(String item) {
		if (!selected.remove(item)) selected.add(item);
		status.setText(selected.size() + " selected");
		render();
	}

	private void open(Similar.Item it) {
		background(() -> ItemOpener.open(session, it.item(), it.imageId()));
	}

	private void labelSelected() {
		if (selected.isEmpty()) {
			error("Select items first: click their pictures, or Select all.");
			return;
		}
		String cls = (String) labelClass.getSelectedItem();
		boolean accepted = "accepted".equals(labelAs.getSelectedItem());
		Similar.BulkLabel request = new Similar.BulkLabel(List.copyOf(selected), cls, accepted, lastQuery.isBlank() ? "gallery" : lastQuery);
		status.setText("Labelling " + selected.size() + " item(s)…");
		background(() -> {
			Similar.BulkReport r = backend.bulkLabel(request);
			session.refreshCurrent();
			SwingUtilities.invokeLater(() -> {
				selected.clear();
				notice = r.summary() + " as " + cls + (accepted ? "" : " (weak)") + " (Undo Label Change takes it back)";
				if (!positives.isEmpty() || !negatives.isEmpty()) query();
				else {
					render();
					status.setText(notice);
					notice = null;
				}
			});
		});
	}

	private void error(String message) {
		status.setForeground(NEGATIVE);
		status.setText(message);
		retrain.setVisible(message.contains("Retrain"));
	}

	/** Runs work off the event thread; a user error appears in the status line. */
	private void background(Runnable work) {
		SwingSupport.background(running, work, this::error);
	}
}
