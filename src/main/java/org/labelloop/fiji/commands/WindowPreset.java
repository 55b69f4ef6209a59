package org.labelloop.fiji.commands;

import java.util.Locale;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ImageStatistics;

/**
 * Plugins>LabelLoop>Window Preset: shows the current LabelLoop image through a CT window ({@code preset=lung}, …, in
 * Hounsfield units: through the image's calibration when ImageJ's DICOM reader keeps raw values, as is when a
 * series was read as HU). Display only. An image whose values do not look like HU (never below 0, as a PNG or an MR
 * scan) is still windowed, and the log says that the presets are for CT.
 */
public class WindowPreset extends LabelLoopCommand {

	@Override protected String title() { return "Window Preset"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Preset", org.labelloop.imaging.WindowPreset.keys(), org.labelloop.imaging.WindowPreset.SOFT_TISSUE.key())
				.addMessage("CT windows in Hounsfield units; the stored pixels do not change.");
		if (!d.show()) return;
		org.labelloop.imaging.WindowPreset p = org.labelloop.imaging.WindowPreset.parse(d.get("preset"));
		ImagePlus imp = session.currentImage();
		Calibration cal = imp.getCalibration();
		imp.setDisplayRange(cal.getRawValue(p.low()), cal.getRawValue(p.high()));
		imp.updateAndDraw();
		ImageStatistics s = imp.getRawStatistics();
		double min = cal.getCValue(s.min), max = cal.getCValue(s.max);
		String values = String.format(Locale.ROOT, "%.0f to %.0f", min, max);
		// a CT slice has air (about -1000 HU) around or inside the body; values that never go below 0 are something else
		if (min >= 0 || max < p.low() || min > p.high())
			info(imp.getTitle() + ": " + p + ", but its values (" + values + ") are not Hounsfield units: the presets are for CT");
		else info(imp.getTitle() + ": " + p + "; its values " + values);
	}
}
