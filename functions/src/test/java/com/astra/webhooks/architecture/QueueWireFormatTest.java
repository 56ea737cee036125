package com.astra.webhooks.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import com.astra.webhooks.jobs.JobCodec;
import com.astra.webhooks.jobs.QueueMessage;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * How a job travels on a queue (its {@code astra-kind} and {@code astra-lane} attributes) has one
 * home, {@link JobCodec}: everything else sees decoded jobs, so a new kind or a new attribute is
 * added in one place.
 */
@AnalyzeClasses(packages = "com.astra.webhooks", importOptions = ImportOption.DoNotIncludeTests.class)
class QueueWireFormatTest {

    @ArchTest
    static final ArchRule onlyTheCodecReadsMessageAttributes = noClasses()
            .that().doNotHaveFullyQualifiedName(JobCodec.class.getName())
            .and().doNotHaveFullyQualifiedName(QueueMessage.class.getName())
            .should().callMethod(QueueMessage.class, "attributes")
            .because("a message's attributes say what kind of job it is, and JobCodec is the one home of that");
}
