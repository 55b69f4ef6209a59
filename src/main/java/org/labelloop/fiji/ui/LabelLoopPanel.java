package org.labelloop.fiji.ui;

import static org.labelloop.fiji.ui.SwingSupport.button;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.GridLayout;
import java.awt.Rectangle;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.DefaultTableCellRenderer;

import org.labelloop.backend.Backend;
import org.labelloop.backend.ProjectProgress;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.ProjectView;
import org.labelloop.fiji.RoiEdits;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.Roi;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

/**
 * The LabelLoop panel: one window for the labelling loop (as Labkit, TrackMate and QuPath give one). It shows the
 * class palette with label counts, Previous / Next with a strategy and the reason the image was chosen, the shown
 * image's labels and predictions (kept in step with the ROI Manager's selection), Accept all / Accept selected /
 * Reject, and the model, the project's progress and the open comments for the user, all from
 * {@link Backend.Overview#progress()} turned into rows by {@link PanelModel}.
 * <p>
 * Every button runs the menu command ({@code IJ.run("Next Image", "strategy=entropy")}, …) on a thread of its own
 * and records the same line the menu would, so the macro recorder writes a macro that replays it. The panel follows
 * the project's {@link ProjectView} (each change, and each command's refresh) instead of keeping copies; project
 * calls run off the event thread. Its position is remembered in the IJ Prefs ({@value #LOCATION}).
 * <p>
 * Over 600 lines on purpose: it is one Swing window, and most of its lines are layout and the table models
 * and renderer its sections share state with (the selection synced both ways with the ROI Manager, the current class, the
 * generation counter that drops stale loads). What it shows is decided in {@link PanelModel}, which is plain Java
 * and tested on its own; every action is a menu command.
 */
public final class LabelLoopPanel extends JFrame implements ProjectView.Listener {

	public static final String TITLE = "LabelLoop";
	/** IJ Prefs key of the window's bounds: {@code x,y,width,height}. */
	static final String LOCATION = "labelloop.panel.bounds";

	private final LabelLoopSession session;
	private final JLabel project = new JLabel(" "), image = new JLabel(" "), prediction = new JLabel(" "), reason = new JLabel(" ");
	private final JComboBox<String> strategy = new JComboBox<>();
	private final ClassTable classModel = new ClassTable();
	private final JTable classes = new JTable(classModel);
	private final LabelTable labelModel = new LabelTable();
	private final JTable labels = new JTable(labelModel);
	private final JLabel progress = new JLabel(" "), comments = new JLabel(" "), status = new JLabel(" ");
	private final JPanel modelLines = new JPanel(new GridLayout(0, 1));
	private final JButton retrain;
	private final AtomicInteger running = new AtomicInteger(), generation = new AtomicInteger();
	private final Timer follow;
	private volatile Backend bound;
	private Runnable unsubscribe = () -> { };
	/** What was rendered last, and for which image (the view's quiet looks reload only when these change). */
	private volatile PanelModel shown = PanelModel.of(null, null);
	/** The last remembered Next Image strategy the combo box was set to (event thread only). */
	private String followedStrategy;
	private volatile Long shownImage;
	private volatile String shownReason = "", shownPrediction = "";
	private volatile String currentClass;
	private Set<Long> managerSelection = Set.of();
	private boolean syncing;

	private LabelLoopPanel(LabelLoopSession session) {
		super(TITLE);
		this.session = session;
		setDefaultCloseOperation(DISPOSE_ON_CLOSE);
		setAutoRequestFocus(false); // opening it leaves the keys with the image window
		JPanel root = new JPanel();
		root.setLayout(new BoxLayout(root, BoxLayout.Y_AXIS));
		root.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));

		// the image: its name, the model's prediction, why it was chosen; Previous / Next with the strategy
		project.setFont(project.getFont().deriveFont(Font.BOLD, project.getFont().getSize2D() + 1f));
		image.setName("image");
		prediction.setName("prediction");
		reason.setName("reason");
		reason.setForeground(new Color(0x555555));
		JPanel head = section("Image");
		head.setLayout(new GridLayout(0, 1));
		head.add(image);
		head.add(prediction);
		head.add(reason);
		strategy.setName("strategy");
		for (String s : LabelLoopSession.nextStrategies()) strategy.addItem(s);
		followNextStrategy();
		JPanel nav = row();
		nav.add(new JLabel("Strategy"));
		nav.add(strategy);
		nav.add(button("\u25c0 Previous", "previous", () -> command("Previous Image", "")));
		nav.add(button("Next \u25b6", "next", this::next));
		head.add(nav);

		// the class palette: a click labels the selection (Set Class), or the whole image when nothing is selected
		classes.setName("classes");
		classes.setRowSelectionAllowed(false);
		classes.setFocusable(false);
		classes.setRowHeight(20);
		classes.getColumnModel().getColumn(0).setMaxWidth(28);
		classes.getColumnModel().getColumn(1).setMaxWidth(40);
		classes.getColumnModel().getColumn(3).setMaxWidth(60);
		classes.setDefaultRenderer(Object.class, new ClassRenderer());
		classes.setToolTipText("Click a class: the selected ROIs get it (Set Class); with none selected, the whole image (Label Whole Image)");
		classes.addMouseListener(new MouseAdapter() {
			@Override
			public void mouseClicked(MouseEvent e) {
				int row = classes.rowAtPoint(e.getPoint());
				if (row >= 0 && row < shown.classes().size()) classClicked(shown.classes().get(row).name());
			}
		});
		JPanel palette = section("Classes");
		palette.add(scroll(classes, 150), BorderLayout.CENTER);

		// the image's labels and predictions, in step with the ROI Manager's selection
		labels.setName("labels");
		labels.setRowHeight(18);
		labels.setSelectionMode(ListSelectionModel.MULTIPLE_INTERVAL_SELECTION);
		labels.getColumnModel().getColumn(0).setMaxWidth(44);
		labels.getColumnModel().getColumn(4).setMaxWidth(48);
		labels.getSelectionModel().addListSelectionListener(e -> {
			if (!e.getValueIsAdjusting() && !syncing) selectInRoiManager();
		});
		JPanel list = section("Labels and predictions on this image");
		list.add(scroll(labels, 170), BorderLayout.CENTER);
		JPanel decide = row();
		decide.add(button("Accept all", "acceptAll", () -> command("Accept All", "")));
		decide.add(button("Accept selected", "acceptSelected", () -> command("Accept Selected", "")));
		decide.add(button("Reject", "reject", () -> command("Reject Selected", "")));
		list.add(decide, BorderLayout.SOUTH);

		// the model and the project
		progress.setName("progress");
		comments.setName("comments");
		modelLines.setName("models");
		retrain = button("Retrain\u2026", "retrain", () -> IJ.doCommand("Retrain")); // its dialog records it, as from the menu
		JPanel state = section("Model and progress");
		JPanel lines = new JPanel(new GridLayout(0, 1));
		lines.add(modelLines);
		lines.add(progress);
		lines.add(comments);
		state.add(lines, BorderLayout.CENTER);
		JPanel retrainRow = row();
		retrainRow.add(retrain);
		state.add(retrainRow, BorderLayout.SOUTH);

		status.setName("status");
		status.setForeground(new Color(0x333333));
		for (JComponent c : new JComponent[] { project, head, palette, list, state, status }) {
			c.setAlignmentX(Component.LEFT_ALIGNMENT);
			root.add(c);
			root.add(Box.createVerticalStrut(4));
		}
		add(root, BorderLayout.CENTER);
		pack();
		setMinimumSize(new Dimension(380, 520));
		placeWhereItWas();
		addComponentListener(new ComponentAdapter() {
			@Override public void componentMoved(ComponentEvent e) { remember(); }
			@Override public void componentResized(ComponentEvent e) { remember(); }
		});
		follow = new Timer(300, e -> followRoiManager());
		addWindowListener(new WindowAdapter() {
			@Override
			public void windowClosed(WindowEvent e) {
				follow.stop();
				unsubscribe.run();
				if (session.window(LabelLoopPanel.class) == LabelLoopPanel.this) session.setWindow(LabelLoopPanel.class, null);
			}
		});
		follow.start();
	}

	// ---- opening ---------------------------------------------------------------------------------------------

	/** The panel shown now, or null. */
	public static LabelLoopPanel current() {
		LabelLoopPanel p = LabelLoopSession.get().window(LabelLoopPanel.class);
		return p != null && p.isDisplayable() ? p : null;
	}

	/**
	 * Opens the panel on the session's project (or brings it to the front, following a project opened since). Call
	 * on the event thread; does nothing headless.
	 */
	public static LabelLoopPanel open(LabelLoopSession session) {
		if (GraphicsEnvironment.isHeadless()) return null;
		LabelLoopPanel p = current();
		if (p == null) {
			p = new LabelLoopPanel(session);
			session.setWindow(LabelLoopPanel.class, p);
		}
		p.bind();
		p.setVisible(true);
		p.toFront();
		return p;
	}

	/** Follows the session's open project (again, after another project was opened). */
	private void bind() {
		unsubscribe.run();
		unsubscribe = () -> { };
		if (!session.isOpen()) {
			bound = null;
			render(PanelModel.of(null, null), null, "No LabelLoop project is open: Plugins>LabelLoop>Open Project.");
			return;
		}
		bound = session.backend();
		project.setText("Project: " + bound.projectName() + "  (" + bound.user() + ")");
		try {
			unsubscribe = session.view().subscribe(this);
		} catch (LabelLoopException closing) {
			bound = null;
		}
		reload();
	}

	// ---- following the project ---------------------------------------------------------------------------------

	@Override
	public void changed(ProjectView.Update update) {
		load(generation.incrementAndGet());
	}

	@Override
	public void unchanged() {
		// a quiet look: reload only when another image is shown, or its reason or prediction changed
		Long id = session.currentImageId().orElse(null);
		String why = id == null ? "" : session.reason(id);
		if (!java.util.Objects.equals(id, shownImage) || !why.equals(shownReason) || !predictionNow().equals(shownPrediction))
			load(generation.incrementAndGet());
	}

	/** Loads what the panel shows, off the event thread. */
	public void reload() {
		int gen = generation.incrementAndGet();
		SwingSupport.background(running, () -> load(gen), this::error);
	}

	/** Reads the project (on the calling thread, never the event thread) and renders it on the event thread. */
	private void load(int gen) {
		if (!session.isOpen()) return;
		Backend b = session.backend();
		if (b != bound) {
			SwingUtilities.invokeLater(this::bind);
			return;
		}
		ProjectProgress p = b.facet(Backend.Overview.class).map(Backend.Overview::progress).orElse(null);
		ImagePlus imp = currentImage();
		Long id = LabelLoopSession.imageId(imp);
		PanelModel.Shown s = null;
		if (id != null) {
			List<Annotation> annotations = b.annotations(id);
			Map<Long, String> names = new HashMap<>();
			for (LabelClass c : b.classes()) names.put(c.id(), c.name());
			s = new PanelModel.Shown(imp.getTitle(), AnnotationView.prediction(imp), session.reason(id), annotations, names);
		}
		PanelModel m = PanelModel.of(p, s, currentClass);
		Long imageId = id;
		SwingUtilities.invokeLater(() -> {
			if (gen == generation.get()) render(m, imageId, null);
		});
	}

	/** Shows the strategy Next Image used last (from the menu, a macro or here), once each time it changes. */
	private void followNextStrategy() {
		String last = LabelLoopSession.nextStrategy(true, true);
		if (last.equals(followedStrategy)) return;
		followedStrategy = last;
		strategy.setSelectedItem(last);
	}

	private void render(PanelModel m, Long imageId, String message) {
		followNextStrategy();
		shown = m;
		shownImage = imageId;
		shownReason = m.reason();
		shownPrediction = m.prediction();
		image.setText(m.image().isEmpty() ? "No image shown: press Next." : m.image());
		prediction.setText(m.prediction().isEmpty() ? "no image-model prediction" : m.prediction());
		reason.setText(m.reason().isEmpty() ? " " : "Chosen: " + m.reason());
		reason.setToolTipText(m.reason().isEmpty() ? null : m.reason());
		classModel.fireTableDataChanged();
		syncing = true;
		try {
			labelModel.fireTableDataChanged();
			selectRows(managerSelection);
		} finally {
			syncing = false;
		}
		modelLines.removeAll();
		for (String line : m.models()) {
			// "image model v1: accuracy …, trained on … · 3 new labels; …": the advice on a line of its own
			int dot = line.indexOf(" \u00b7 ");
			for (String part : dot < 0 ? new String[] { line } : new String[] { line.substring(0, dot), "      " + line.substring(dot + 3) }) {
				JLabel l = new JLabel(part);
				l.setToolTipText(line);
				if (part.endsWith("retrain recommended")) l.setForeground(new Color(0xb35900));
				modelLines.add(l);
			}
		}
		modelLines.revalidate();
		progress.setText(m.progress());
		comments.setText(m.comments());
		comments.setForeground(m.comments().startsWith("0 ") ? Color.DARK_GRAY : new Color(0x1565c0));
		retrain.setFont(retrain.getFont().deriveFont(m.retrain() ? Font.BOLD : Font.PLAIN));
		if (message != null) status.setText(message);
	}

	// ---- actions: the menu's commands --------------------------------------------------------------------------

	private void next() {
		String s = (String) strategy.getSelectedItem();
		String options = "strategy=" + s;
		if (currentClass != null && (s.equals("more-of-class") || s.equals("confusion"))) options += " class=[" + currentClass + "]";
		command("Next Image", options);
	}

	/** A palette click: Set Class on the selected ROIs, or Label Whole Image when none is selected. */
	private void classClicked(String name) {
		currentClass = name;
		classModel.fireTableDataChanged();
		ImagePlus imp = currentImage();
		if (imp == null) {
			status.setText("Class " + name + " chosen; show an image (Next) to label it.");
			return;
		}
		boolean selection;
		try {
			selection = !new RoiEdits(session.backend(), imp).selected().isEmpty();
		} catch (LabelLoopException e) {
			error(e.getMessage());
			return;
		}
		command(selection ? "Set Class" : "Label Whole Image", "class=[" + name + "]");
	}

	/**
	 * Runs a menu command as the menu does (off the event thread) and records the line the menu would record: ImageJ
	 * does not record {@code IJ.run} calls itself. The panel reloads when it is done.
	 */
	void command(String command, String options) {
		if (Recorder.record) Recorder.recordString(macroLine(command, options));
		status.setText(command + "\u2026");
		running.incrementAndGet();
		Thread t = new Thread(() -> {
			try {
				IJ.run(command, options.isEmpty() ? null : options);
			} catch (RuntimeException e) {
				SwingUtilities.invokeLater(() -> error(e.getMessage()));
			} finally {
				running.decrementAndGet();
				SwingUtilities.invokeLater(() -> {
					if (status.getText().equals(command + "\u2026")) status.setText(statusOf(command));
					reload();
				});
			}
		}, "LabelLoop panel: " + command);
		t.start();
	}

	/** The macro line of a command: {@code run("Next Image", "strategy=entropy");}. */
	static String macroLine(String command, String options) {
		return options.isEmpty() ? "run(\"" + command + "\");\n" : "run(\"" + command + "\", \"" + options + "\");\n";
	}

	private static String statusOf(String command) {
		String s = lastLogLine();
		return s.isEmpty() ? command + " done" : s;
	}

	/** What the last command said (LabelLoop's commands log it as {@code LabelLoop: …}). */
	private static String lastLogLine() {
		String log = IJ.getLog();
		if (log == null || log.isBlank()) return "";
		String[] lines = log.strip().split("\n");
		String last = lines[lines.length - 1];
		return last.startsWith("LabelLoop: ") ? last.substring("LabelLoop: ".length()) : "";
	}

	private void error(String message) {
		status.setForeground(new Color(0xc62828));
		status.setText(message);
		Timer back = new Timer(6000, e -> status.setForeground(new Color(0x333333)));
		back.setRepeats(false);
		back.start();
	}

	// ---- the ROI Manager's selection ------------------------------------------------------------------------------

	/** Table → ROI Manager: selects the entries of the selected rows (and shows a single one on the image). */
	private void selectInRoiManager() {
		RoiManager rm = RoiManager.getInstance();
		Long imageId = shownImage;
		if (rm == null || imageId == null) return;
		Set<String> ids = new LinkedHashSet<>();
		for (int row : labels.getSelectedRows())
			if (row < shown.labels().size()) ids.add(Long.toString(shown.labels().get(row).id()));
		List<Integer> indexes = new ArrayList<>();
		for (int i = 0; i < rm.getCount(); i++) {
			Roi r = rm.getRoi(i);
			if (r != null && ids.contains(r.getProperty(AnnotationView.ID)) && imageId.toString().equals(r.getProperty(AnnotationView.IMAGE))) indexes.add(i);
		}
		if (indexes.isEmpty()) return;
		ImagePlus imp = currentImage();
		if (indexes.size() == 1 && imp != null) rm.select(imp, indexes.get(0));
		else rm.setSelectedIndexes(indexes.stream().mapToInt(Integer::intValue).toArray());
		managerSelection = selectedInManager(rm);
	}

	/** ROI Manager → table: the rows of the entries selected there, polled on the event thread. */
	private void followRoiManager() {
		if (session.isOpen() && session.backend() != bound) {
			bind();
			return;
		}
		RoiManager rm = RoiManager.getInstance();
		Set<Long> now = rm == null ? Set.of() : selectedInManager(rm);
		if (now.equals(managerSelection)) return;
		managerSelection = now;
		syncing = true;
		try {
			selectRows(now);
		} finally {
			syncing = false;
		}
	}

	private static Set<Long> selectedInManager(RoiManager rm) {
		Set<Long> ids = new LinkedHashSet<>();
		for (int i : rm.getSelectedIndexes()) {
			Roi r = rm.getRoi(i);
			String id = r == null ? null : r.getProperty(AnnotationView.ID);
			if (id != null) ids.add(Long.parseLong(id));
		}
		return ids;
	}

	private void selectRows(Set<Long> ids) {
		labels.clearSelection();
		for (Long id : ids) {
			int row = shown.rowOf(id);
			if (row >= 0) labels.addRowSelectionInterval(row, row);
		}
	}

	// ---- for tests and the commands -------------------------------------------------------------------------------

	/** What the panel shows now. */
	public PanelModel model() {
		return shown;
	}

	/** Whether no load or command is running (tests wait for this). */
	public boolean idle() {
		return running.get() == 0;
	}

	public String statusText() {
		return status.getText();
	}

	// ---- helpers -------------------------------------------------------------------------------------------

	private ImagePlus currentImage() {
		try {
			return session.isOpen() && session.currentImageId().isPresent() ? session.currentImage() : null;
		} catch (LabelLoopException none) {
			return null;
		}
	}

	private String predictionNow() {
		return AnnotationView.prediction(currentImage());
	}

	private static JPanel section(String title) {
		JPanel p = new JPanel(new BorderLayout());
		p.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createTitledBorder(title), BorderFactory.createEmptyBorder(0, 4, 2, 4)));
		return p;
	}

	private static JPanel row() {
		return new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.LEFT, 4, 2));
	}

	private static JScrollPane scroll(JTable t, int height) {
		JScrollPane s = new JScrollPane(t);
		s.setPreferredSize(new Dimension(400, height));
		t.setFillsViewportHeight(true);
		return s;
	}

	private void placeWhereItWas() {
		String saved = Prefs.get(LOCATION, "");
		String[] v = saved.split(",");
		Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
		if (v.length == 4) {
			try {
				Rectangle r = new Rectangle(Integer.parseInt(v[0].trim()), Integer.parseInt(v[1].trim()), Integer.parseInt(v[2].trim()), Integer.parseInt(v[3].trim()));
				if (screen.intersects(r)) {
					setBounds(r);
					return;
				}
			} catch (NumberFormatException ignored) {
				// placed as new
			}
		}
		Dimension d = getPreferredSize();
		setSize(Math.max(d.width, 520), Math.min(Math.max(d.height, 640), screen.height - 20));
		setLocation(screen.x + screen.width - getWidth() - 10, screen.y + 10);
	}

	private void remember() {
		if (!isShowing()) return;
		Rectangle r = getBounds();
		Prefs.set(LOCATION, r.x + "," + r.y + "," + r.width + "," + r.height);
	}

	/** Colour, hotkey, name, labels. */
	private final class ClassTable extends AbstractTableModel {
		private final String[] columns = { "", "Key", "Class", "Labels" };

		@Override public int getRowCount() { return shown.classes().size(); }
		@Override public int getColumnCount() { return columns.length; }
		@Override public String getColumnName(int c) { return columns[c]; }

		@Override
		public Object getValueAt(int row, int col) {
			PanelModel.ClassRow c = shown.classes().get(row);
			return switch (col) {
				case 0 -> c.color();
				case 1 -> c.hotkey();
				case 2 -> c.name();
				default -> c.labels();
			};
		}
	}

	/** Draws the colour swatch, and the current class in bold. */
	private final class ClassRenderer extends DefaultTableCellRenderer {
		@Override
		public Component getTableCellRendererComponent(JTable t, Object value, boolean selected, boolean focus, int row, int col) {
			super.getTableCellRendererComponent(t, col == 0 ? "" : value, false, false, row, col);
			PanelModel.ClassRow c = row < shown.classes().size() ? shown.classes().get(row) : null;
			setBackground(Color.white);
			setHorizontalAlignment(col == 3 ? RIGHT : col == 1 ? CENTER : LEFT);
			if (c != null && col == 0) {
				try {
					setBackground(Color.decode(c.color()));
				} catch (NumberFormatException e) {
					setBackground(Color.lightGray);
				}
			} else if (c != null && c.current()) setBackground(new Color(0xe3f2fd));
			setFont(getFont().deriveFont(c != null && c.current() ? Font.BOLD : Font.PLAIN));
			return this;
		}
	}

	/** #, kind, class, status, confidence, origin. */
	private final class LabelTable extends AbstractTableModel {
		private final String[] columns = { "#", "Kind", "Class", "Status", "Conf.", "Origin" };

		@Override public int getRowCount() { return shown.labels().size(); }
		@Override public int getColumnCount() { return columns.length; }
		@Override public String getColumnName(int c) { return columns[c]; }

		@Override
		public Object getValueAt(int row, int col) {
			PanelModel.LabelRow r = shown.labels().get(row);
			return switch (col) {
				case 0 -> r.id();
				case 1 -> r.kind();
				case 2 -> r.className();
				case 3 -> r.status();
				case 4 -> r.confidence();
				default -> r.origin();
			};
		}
	}
}
