package org.labelloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/architecture.md: {@code fiji.ui → fiji → backend → interop → imaging → core}, with
 * {@code cli} and {@code server} beside {@code fiji} and never depending on it. Core is plain Java.
 */
@AnalyzeClasses(packages = "org.labelloop", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule coreIsPlainJava = noClasses().that().resideInAPackage("org.labelloop.core..")
			.should().dependOnClassesThat().resideInAnyPackage("ij..", "java.awt..", "javax.swing..",
					"org.labelloop.imaging..", "org.labelloop.interop..", "org.labelloop.backend..",
					"org.labelloop.cli..", "org.labelloop.server..", "org.labelloop.fiji..");

	/** The Qdrant client is the one part of core that talks HTTP (the guide's table: core.vector may use OkHttp). */
	@ArchTest
	static final ArchRule onlyTheVectorIndexTalksHttpInCore = noClasses().that().resideInAPackage("org.labelloop.core..")
			.and().resideOutsideOfPackage("org.labelloop.core.vector..")
			.should().dependOnClassesThat().resideInAPackage("okhttp3..");

	/**
	 * HTTP clients are three deliberate places: the Qdrant client ({@code core.vector}), the lab server's client
	 * ({@code backend.remote}) and the MONAI Label client ({@code backend.monai}); everything else talks to the engine
	 * in-process (the local backend is files only).
	 */
	@ArchTest
	static final ArchRule onlyTheHttpClientsUseOkHttp = noClasses()
			.that().resideOutsideOfPackages("org.labelloop.core.vector..", "org.labelloop.backend.remote..", "org.labelloop.backend.monai..")
			.should().dependOnClassesThat().resideInAPackage("okhttp3..");

	/** The lab server sits on the engine: never on the command line, the benchmarks or the plugin. */
	@ArchTest
	static final ArchRule serverStandsOnTheEngine = noClasses().that().resideInAPackage("org.labelloop.server..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.cli..", "org.labelloop.bench..", "org.labelloop.fiji..");

	/** The remote backend is a client: it speaks the server's wire format but never uses the server's classes. */
	@ArchTest
	static final ArchRule remoteBackendKnowsOnlyTheWire = noClasses().that().resideInAPackage("org.labelloop.backend..")
			.should().dependOnClassesThat().resideInAnyPackage("com.sun.net.httpserver..");

	@ArchTest
	static final ArchRule geometryNeedsOnlyTheJdk = noClasses().that().resideInAPackage("org.labelloop.core.geom..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.core.model..", "org.labelloop.core.store..",
					"com.fasterxml..", "org.sqlite..");

	@ArchTest
	static final ArchRule modelHoldsValuesOnly = noClasses().that().resideInAPackage("org.labelloop.core.model..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.core.store..", "com.fasterxml..", "org.sqlite..");

	@ArchTest
	static final ArchRule imagingHasNoWindows = noClasses().that().resideInAPackage("org.labelloop.imaging..")
			.should().dependOnClassesThat().resideInAnyPackage("ij.plugin.frame..", "javax.swing..",
					"org.labelloop.interop..", "org.labelloop.backend..", "org.labelloop.cli..", "org.labelloop.fiji..")
			.orShould().dependOnClassesThat().haveFullyQualifiedName("ij.gui.GenericDialog")
			// IJ's statics show dialogs, log and run commands; finding Fiji's plugin class loader is all imaging may ask,
			// and turning ImageJ's error dialogs off while a reader runs (ReaderOutput keeps what they would say).
			.orShould().callMethodWhere(DescribedPredicate.describe("a method of ij.IJ other than getClassLoader and redirect(ing)ErrorMessages",
					(JavaMethodCall call) -> call.getTargetOwner().getName().equals("ij.IJ")
							&& !Set.of("getClassLoader", "redirectErrorMessages", "redirectingErrorMessages").contains(call.getName())));

	@ArchTest
	static final ArchRule interopIsBelowBackend = noClasses().that().resideInAPackage("org.labelloop.interop..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.backend..", "org.labelloop.cli..",
					"org.labelloop.fiji..");

	@ArchTest
	static final ArchRule backendKnowsNoUserInterface = noClasses().that().resideInAPackage("org.labelloop.backend..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.cli..", "org.labelloop.fiji..",
					"org.labelloop.server..", "javax.swing..", "ij.gui..", "ij.plugin.frame..");

	@ArchTest
	static final ArchRule onlyFijiTalksToImageJWindows = noClasses().that().resideOutsideOfPackages("org.labelloop.fiji..")
			.should().dependOnClassesThat().resideInAnyPackage("ij.plugin.frame..", "javax.swing..")
			.orShould().dependOnClassesThat().haveFullyQualifiedName("ij.gui.GenericDialog");

	@ArchTest
	static final ArchRule commandLineAndServerDoNotUseThePlugin = noClasses()
			.that().resideInAnyPackage("org.labelloop.cli..", "org.labelloop.server..", "org.labelloop.bench..")
			.should().dependOnClassesThat().resideInAPackage("org.labelloop.fiji..");

	/** The script API is a facade over backend for scripts, also headless: no plugin, command line or windows. */
	@ArchTest
	static final ArchRule scriptApiIsHeadlessAndBelowThePlugin = noClasses().that().resideInAPackage("org.labelloop.api..")
			.should().dependOnClassesThat().resideInAnyPackage("org.labelloop.fiji..", "org.labelloop.cli..", "java.awt..", "javax.swing..");

	@ArchTest
	static final ArchRule noCycles = slices().matching("org.labelloop.(*)..").should().beFreeOfCycles();

	/** Each package on its own (fiji and fiji.ui, core.learn and core.learn.djl, ...): no two depend on each other. */
	@ArchTest
	static final ArchRule noCyclesBetweenSubPackages = slices().matching("org.labelloop.(**)").should().beFreeOfCycles();

	/**
	 * Views follow the observable {@code ProjectView}, never static state: the plugin's one static object is the
	 * session's final instance (ImageJ makes commands anew on every run).
	 */
	@ArchTest
	static final ArchRule noStaticStateInThePlugin = fields().that().areDeclaredInClassesThat().resideInAPackage("org.labelloop.fiji..")
			.and().areStatic().should().beFinal();
}
