// LabelLoop: batch import and export.
//
// Makes the project when the folder holds none, adds a folder of images, imports a label file, and
// exports every label of the project in the three formats LabelLoop writes:
//   <out>/labels.csv        image-level labels (CSV: image,label)
//   <out>/labels-coco.json  every label (COCO JSON: ROIs as polygons and boxes, image labels as categories)
//   <out>/rois/             one ImageJ ROI set (.zip) per image, for the ROI Manager
// Images already in the project are skipped, so adding a folder again adds only its new images; a label
// file imported twice adds its labels twice (as Import Labels does), so pass labels= once per file.
//
// Arguments (key=value, [brackets] around values with spaces):
//   project=[/data/my project]  the project folder (required)
//   images=[/data/images]       a folder (read with its subfolders) or file of images to add (optional)
//   labels=[/data/labels.csv]   a label file to import (optional)
//   format=csv                  its format: csv, coco or roi-zip (default csv)
//   out=[/data/export]          where the exports go (optional: no export without it)
//   user=ann                    the user the labels are recorded under (default: macro)
//
// Headless:  ImageJ --headless -batch LabelLoop_Batch_Import_Export.ijm "project=[/data/p] images=[/data/img] out=/data/out"

args = getArgument() + " ";
// a misspelt argument stops the macro with a message naming it, instead of being ignored
problem = call("org.labelloop.fiji.MacroFunctions.checkArguments", "LabelLoop_Batch_Import_Export", args, "project images labels format out user");
if (problem != "") exit(problem);
project = call("ij.Macro.getValue", args, "project", "");
if (project == "") exit("Batch import/export needs project=<project folder>");
images = call("ij.Macro.getValue", args, "images", "");
labels = call("ij.Macro.getValue", args, "labels", "");
format = call("ij.Macro.getValue", args, "format", "csv");
out = call("ij.Macro.getValue", args, "out", "");
user = call("ij.Macro.getValue", args, "user", "macro");

if (File.exists(project + File.separator + "labelloop.db"))
	run("Open Project", "folder=[" + project + "] user=[" + user + "]");
else
	run("New Project", "folder=[" + project + "] name=[" + File.getName(project) + "] user=[" + user + "]");
if (images != "") run("Add Images", "path=[" + images + "]");
if (labels != "") run("Import Labels", "format=" + format + " file=[" + labels + "]");
if (out != "") {
	File.makeDirectory(out);
	run("Export Labels", "format=csv file=[" + out + File.separator + "labels.csv]");
	run("Export Labels", "format=coco file=[" + out + File.separator + "labels-coco.json]");
	run("Export Labels", "format=roi-zip file=[" + out + File.separator + "rois]");
	print("Exported to " + out);
}
