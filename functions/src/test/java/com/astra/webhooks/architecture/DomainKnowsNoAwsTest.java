package com.astra.webhooks.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md: domain code has no AWS types in it. The AWS SDK and the Lambda libraries stay in
 * the handlers, the stores and the queue adapters, so the domain can be tested, and could move,
 * without them.
 */
@AnalyzeClasses(packages = "com.astra.webhooks", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainKnowsNoAwsTest {

    @ArchTest
    static final ArchRule domainPackagesUseNoAwsTypes = noClasses()
            .that().resideInAnyPackage("com.astra.webhooks.core..", "com.astra.webhooks.model..",
                    "com.astra.webhooks.webhook..", "com.astra.webhooks.dispatch..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "com.amazonaws..")
            .because("domain code knows no AWS types (DESIGN.md, Shape)");
}
