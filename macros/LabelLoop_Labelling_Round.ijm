// LabelLoop: whole labelling rounds from a macro, without a click.
//
// One round: open the project, let active learning choose the next image, accept what the model
// proposes there (the proposed objects, and the model's image-level class when it is sure: a prediction
// "model v3: coat 0.82" without a trailing "?"), save, and retrain the models.
// A person should look at what is accepted: use this on easy projects, or to pre-label for review.
//
// Arguments (all optional; key=value, [brackets] around values with spaces):
//   project=[/data/my project]  the project folder (asked for when missing and a window is there)
//   user=ann                    the user the labels are recorded under (default: macro)
//   rounds=3                    how many rounds (default 1)
//   strategy=hybrid             how Next Image chooses (sequential, unlabelled, entropy, margin, hybrid, ...)
//   classifier=logistic         the classifier Retrain trains (logistic or forest)
//
// Headless:  ImageJ --headless -batch LabelLoop_Labelling_Round.ijm "project=[/data/p] user=ann rounds=3"

args = getArgument() + " ";
// a misspelt argument stops the macro with a message naming it, instead of being ignored
problem = call("org.labelloop.fiji.MacroFunctions.checkArguments", "LabelLoop_Labelling_Round", args, "project user rounds strategy classifier");
if (problem != "") exit(problem);
project = call("ij.Macro.getValue", args, "project", "");
if (project == "") project = getDirectory("Choose a LabelLoop project folder");
user = call("ij.Macro.getValue", args, "user", "macro");
rounds = parseInt(call("ij.Macro.getValue", args, "rounds", "1"));
strategy = call("ij.Macro.getValue", args, "strategy", "hybrid");
classifier = call("ij.Macro.getValue", args, "classifier", "logistic");

run("Open Project", "folder=[" + project + "] user=[" + user + "]");
for (r = 1; r <= rounds; r++) {
	before = 0;
	if (nImages > 0) before = getImageID();
	run("Next Image", "strategy=" + strategy);
	if (nImages == 0 || getImageID() == before) {
		print("Round " + r + ": no image left to label.");
		break;
	}
	title = getTitle();
	prediction = call("org.labelloop.fiji.MacroFunctions.prediction");
	// the proposed objects on this image become accepted labels
	run("Accept All");
	// the model's image-level class, when it is sure
	predicted = confidentClass(prediction);
	if (predicted != "") run("Label Whole Image", "class=[" + predicted + "]");
	run("Save Labels");
	print("Round " + r + ": " + title + " (" + prediction + ") -> " + predicted);
	// retrain every task that has enough labels (the log says which were skipped and why)
	run("Retrain", "classifier=" + classifier + " task=all");
}

// The class in a prediction like "model v3: coat 0.82", or "" when there is no
// prediction or the model is unsure ("coat 0.42?", or "coat 0.97? (unlike anything
// labelled)" for an image beyond the labelled ones).
function confidentClass(prediction) {
	if (!startsWith(prediction, "model ")) return "";
	rest = prediction;
	j = indexOf(rest, ": ");
	if (j < 0) return "";
	prediction = substring(rest, j + 2);
	if (indexOf(prediction, "?") >= 0) return "";
	return substring(prediction, 0, lastIndexOf(prediction, " "));
}
