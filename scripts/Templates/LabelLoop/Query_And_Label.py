# @File(label = "LabelLoop project", style = "directory") project
# @String(label = "Class to query", value = "coat") className
# @Double(label = "Least confidence", value = 0.9) minConfidence
# @String(label = "User", value = "script") user

# LabelLoop script API (Jython): open a project, count its labels, train a model if there is none, label every
# unlabelled image the model puts in a class with enough confidence (a query), and list what to label next.
# Every label is an ordinary LabelLoop change, recorded under the user and undoable.
# Fiji: File > New > Script..., Templates > LabelLoop. API: org.labelloop.api (Javadoc).
from org.labelloop.api import LabelLoop

p = LabelLoop.open(project.getPath(), user)
try:
    print("Project %s: %d items; classes %s" % (p.name(), p.items().size(), ", ".join(p.classes())))

    # read: how many image labels per class
    counts = {}
    for item in p.items():
        label = p.label(item)
        if label.isPresent():
            counts[label.get()] = counts.get(label.get(), 0) + 1
    print("Image labels per class: %s" % ", ".join("%s=%d" % (c, counts[c]) for c in sorted(counts)))

    # a model first, if there is none yet
    if p.models().isEmpty():
        print(p.retrain("logistic"))

    # query + write: the unlabelled images the model is sure are of the class
    hits = p.query(className, minConfidence)
    for item in hits:
        confidence = p.prediction(item).get().confidence()
        p.setLabel(item, className)
        print("labelled %s as %s (model %.2f)" % (item.name(), className, confidence))
    print("Query: %d image(s) labelled %s" % (hits.size(), className))

    # what active learning would have a person label next
    print("Next: " + ", ".join(i.name() for i in p.next("entropy", 3)))
finally:
    p.close()
