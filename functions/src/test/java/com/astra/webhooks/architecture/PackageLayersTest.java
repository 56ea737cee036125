package com.astra.webhooks.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph has no cycles, so each package can be read, tested and changed with only the
 * packages below it in mind (docs/architecture.md). {@code tools/PackageCycles.java} prints the
 * graph; this holds it.
 */
@AnalyzeClasses(packages = "com.astra.webhooks", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    @ArchTest
    static final ArchRule packagesFormNoCycles = slices()
            .matching("com.astra.webhooks.(*)..")
            .should().beFreeOfCycles()
            .because("a package cycle ties every package in it together (docs/architecture.md)");

    /** Also inside a top-level slice: {@code store} and {@code store.dynamodb}, {@code core} and its parts. */
    @ArchTest
    static final ArchRule eachPackageFormsNoCycles = slices()
            .matching("com.astra.webhooks.(**)")
            .should().beFreeOfCycles()
            .because("a package cycle ties every package in it together (docs/architecture.md)");

    @ArchTest
    static final ArchRule storesNeverKnowTheDispatcher = noClasses()
            .that().resideInAnyPackage("com.astra.webhooks.store..")
            .should().dependOnClassesThat().resideInAnyPackage("com.astra.webhooks.worker..",
                    "com.astra.webhooks.jobs..", "com.astra.webhooks.dispatch..", "com.astra.webhooks.api..",
                    "com.astra.webhooks.wiring..")
            .because("stores persist records; what a delivery means is decided above them");
}
