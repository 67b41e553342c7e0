package dev.jobpool;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Dependencies between the service's packages flow one way: every package, a subpackage
 * such as {@code execution.process} included, is a slice of its own, and no two slices
 * depend on each other in a circle.
 */
class ModularityTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.jobpool");

	@Test
	void noPackageCycles() {
		slices().matching("dev.jobpool.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void theSharedWebPackageKnowsNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.jobpool.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.jobpool.job..", "dev.jobpool.bench..", "dev.jobpool.execution..",
					"dev.jobpool.fetch..", "dev.jobpool.sum..", "dev.jobpool.security..")
			.check(classes);
	}

	@Test
	void benchmarksBuildTheirJobsThroughTheJobFeatureNotItsWebLayer() {
		noClasses().that()
			.resideInAPackage("dev.jobpool.bench..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.jobpool.job.web..")
			.check(classes);
	}

	@Test
	void theSharedShapesDependOnNoOtherPackage() {
		noClasses().that()
			.resideInAPackage("dev.jobpool.support..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages("dev.jobpool.support..", "java..", "org.jspecify..",
					"com.fasterxml.jackson.annotation..")
			.check(classes);
	}

	@Test
	void theTaskVocabularyDependsOnNoOtherPackage() {
		noClasses().that()
			.resideInAPackage("dev.jobpool.task..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages("dev.jobpool.task..", "java..", "org.jspecify..",
					"com.fasterxml.jackson.annotation..")
			.check(classes);
	}

}
