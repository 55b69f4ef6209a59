// @File(label = "LabelLoop project", style = "directory") project
// @String(label = "Class to query", value = "coat") className
// @Double(label = "Least confidence", value = 0.9) minConfidence
// @String(label = "User", value = "script") user

/*
 * LabelLoop script API (Groovy): open a project, count its labels, train a model if there is none, label every
 * unlabelled image the model puts in a class with enough confidence (a query), and list what to label next.
 * Every label is an ordinary LabelLoop change, recorded under the user and undoable.
 * Fiji: File > New > Script..., Templates > LabelLoop. API: org.labelloop.api (Javadoc).
 */
import org.labelloop.api.LabelLoop

def p = LabelLoop.open(project.path, user)
try {
	println "Project ${p.name()}: ${p.items().size()} items; classes ${p.classes().join(', ')}"

	// read: how many image labels per class
	def counts = new TreeMap()
	p.items().each { item -> p.label(item).ifPresent { c -> counts[c] = (counts[c] ?: 0) + 1 } }
	println "Image labels per class: ${counts}"

	// a model first, if there is none yet
	if (p.models().isEmpty()) println p.retrain("logistic")

	// query + write: the unlabelled images the model is sure are of the class
	def hits = p.query(className, minConfidence)
	hits.each { item ->
		def confidence = p.prediction(item).get().confidence()
		p.setLabel(item, className)
		println String.format(Locale.ROOT, "labelled %s as %s (model %.2f)", item.name(), className, confidence)
	}
	println "Query: ${hits.size()} image(s) labelled ${className}"

	// what active learning would have a person label next
	println "Next: " + p.next("entropy", 3).collect { it.name() }.join(", ")
} finally {
	p.close()
}
