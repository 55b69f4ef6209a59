// LabelLoop: nightly retrain with a learning-curve export.
//
// Retrains the project's models on every label made so far and saves, for each task that has a model,
// the learning curve (every model version's out-of-fold accuracy, macro-F1, mean AUC and ECE against
// the number of labels) as a PNG and its values as CSV in the output folder, named by date:
//   <out>/learning-curve-image-2026-11-29.png and .csv (and -roi- for the ROI model)
// A task without enough labels is skipped (the log says what is missing); when no task can be trained
// the macro stops with that message, and nothing is written.
//
// Arguments (key=value, [brackets] around values with spaces):
//   project=[/data/my project]  the project folder (required)
//   out=[/data/curves]          where the curves go (required)
//   classifier=logistic         logistic or forest (default logistic)
//   user=nightly                the user the run is recorded under (default: nightly)
//
// A cron line (a machine without a display; 2 a.m. every night):
//   0 2 * * * /opt/Fiji.app/ImageJ-linux64 --headless -batch /opt/Fiji.app/macros/LabelLoop_Nightly_Retrain.ijm "project=[/data/p] out=/data/curves"

args = getArgument() + " ";
// a misspelt argument stops the macro with a message naming it, instead of being ignored
problem = call("org.labelloop.fiji.MacroFunctions.checkArguments", "LabelLoop_Nightly_Retrain", args, "project out classifier user");
if (problem != "") exit(problem);
project = call("ij.Macro.getValue", args, "project", "");
out = call("ij.Macro.getValue", args, "out", "");
if (project == "" || out == "") exit("Nightly retrain needs project=<project folder> out=<output folder>");
classifier = call("ij.Macro.getValue", args, "classifier", "logistic");
user = call("ij.Macro.getValue", args, "user", "nightly");

setBatchMode(true);
run("Open Project", "folder=[" + project + "] user=[" + user + "]");
run("Retrain", "classifier=" + classifier + " task=all");
File.makeDirectory(out);
getDateAndTime(year, month, dayOfWeek, day, hour, minute, second, msec);
date = "" + year + "-" + IJ.pad(month + 1, 2) + "-" + IJ.pad(day, 2);
tasks = newArray("image", "roi");
for (t = 0; t < tasks.length; t++) {
	// Learning Curve stops the macro when a task has no model: ask only for tasks that have one
	model = call("org.labelloop.fiji.MacroFunctions.activeModel", tasks[t]);
	if (model != "") {
		run("Learning Curve", "task=" + tasks[t]);
		base = out + File.separator + "learning-curve-" + tasks[t] + "-" + date;
		saveAs("PNG", base + ".png");
		File.saveString(call("org.labelloop.fiji.MacroFunctions.learningCurveCsv", tasks[t]), base + ".csv");
		close();
		print("Saved " + base + ".png and .csv");
	}
}

