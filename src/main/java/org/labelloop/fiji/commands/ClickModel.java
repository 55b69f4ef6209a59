package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/**
 * Plugins>LabelLoop>Click Model: a promptable model for click to segment, a Segment Anything encoder/decoder pair
 * exported to ONNX (SAM, MobileSAM, ...; see docs/fiji.md for the exports that work), run offline. Both files are
 * opened and checked before they are kept (as this Fiji's preference: they are files on this machine); an empty
 * encoder goes back to clicking with the segmentation model or the image's intensities. Macro:
 * {@code run("Click Model", "encoder=/models/sam_encoder.onnx decoder=/models/sam_decoder.onnx");}.
 */
public class ClickModel extends LabelLoopCommand {

	@Override protected String title() { return "Click Model"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addFile("Encoder", ij.Prefs.get(LabelLoopSession.CLICK_ENCODER_PREF, "")).addFile("Decoder", ij.Prefs.get(LabelLoopSession.CLICK_DECODER_PREF, ""));
		if (!d.show()) return;
		String enc = d.get("encoder");
		if (enc == null || enc.isBlank()) {
			session.setClickModel(null, null);
			info("No click model: click to segment uses the segmentation model or the image's intensities.");
			return;
		}
		session.setClickModel(LabelLoopSession.path(enc), LabelLoopSession.path(d.required("decoder")));
		info("Click model set (encoder input " + session.clickModel().orElseThrow().side() + " pixels): the first click on a slice encodes it, each click runs the decoder.");
	}
}
