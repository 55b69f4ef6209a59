// LabelLoop: bulk labelling query — "label every image the model is sure is a <class>".
//
// Asks Next Image for the image most likely of the class (active-learning strategy more-of-class),
// and labels it with that class while the model's prediction on it is that class with at least the
// given confidence; stops at the first image below it (the rest are less likely still), or after max images.
// Needs a trained image model (run Retrain first). Every label is an ordinary, undoable LabelLoop label
// recorded under the user: Undo Label Change takes them back one by one.
//
// Arguments (key=value, [brackets] around values with spaces):
//   project=[/data/my project]  the project folder (asked for when missing and a window is there)
//   class=coat                  the class to label (required)
//   min=0.9                     the least confidence to accept (default 0.9)
//   max=100                     at most this many images (default 100)
//   user=ann                    the user the labels are recorded under (default: macro)
//
// Headless:  ImageJ --headless -batch LabelLoop_Bulk_Label.ijm "project=[/data/p] class=coat min=0.95"

args = getArgument() + " ";
// a misspelt argument stops the macro with a message naming it, instead of being ignored
problem = call("org.labelloop.fiji.MacroFunctions.checkArguments", "LabelLoop_Bulk_Label", args, "project class min max user");
if (problem != "") exit(problem);
project = call("ij.Macro.getValue", args, "project", "");
if (project == "") project = getDirectory("Choose a LabelLoop project folder");
target = call("ij.Macro.getValue", args, "class", "");
if (target == "") exit("Bulk labelling needs class=<the class to label>");
least = parseFloat(call("ij.Macro.getValue", args, "min", "0.9"));
most = parseInt(call("ij.Macro.getValue", args, "max", "100"));
user = call("ij.Macro.getValue", args, "user", "macro");

run("Open Project", "folder=[" + project + "] user=[" + user + "]");
labelled = 0;
while (labelled < most) {
	before = 0;
	if (nImages > 0) before = getImageID();
	run("Next Image", "strategy=more-of-class class=[" + target + "]");
	if (nImages == 0 || getImageID() == before) break; // nothing left
	title = getTitle();
	shown = call("org.labelloop.fiji.MacroFunctions.prediction"); // "model v3: coat 0.82"
	if (!startsWith(shown, "model ")) exit("No image model yet: run Retrain first, then this macro.");
	prediction = substring(shown, indexOf(shown, ": ") + 2); // "coat 0.82", "coat 0.42?" or "coat 0.97? (unlike anything labelled)"
	note = indexOf(prediction, " (");
	if (note >= 0) prediction = substring(prediction, 0, note);
	unsure = endsWith(prediction, "?");
	if (unsure) prediction = substring(prediction, 0, lengthOf(prediction) - 1);
	space = lastIndexOf(prediction, " ");
	predicted = substring(prediction, 0, space);
	confidence = parseFloat(substring(prediction, space + 1));
	if (predicted != target || confidence < least || unsure) {
		print("Stopped at " + title + " (" + shown + "): not a sure " + target + " of at least " + least + ".");
		break;
	}
	run("Label Whole Image", "class=[" + target + "]");
	labelled++;
}
print("Bulk labelling: " + labelled + " image(s) labelled " + target + ".");
