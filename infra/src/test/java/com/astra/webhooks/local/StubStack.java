package com.astra.webhooks.local;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A runner on the stub template (test-template.yaml), for tests of the runner's own plumbing. */
final class StubStack {

    private StubStack() {}

    static Path template() {
        try {
            return Path.of(StubStack.class.getClassLoader().getResource("test-template.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The stubs from this module's test classes, next to the real functions jar they use types
     * from, and the events library (with the joda-time the runtime's serializer loads for
     * SQSEvent) that typed handlers bring in their own jar: the functions' handlers no longer do.
     */
    static LambdaCode code() {
        LambdaCode bundled = LambdaCode.bundled();
        List<Path> code = new ArrayList<>(bundled.function());
        code.add(0, location(StubStack.class));
        code.add(location(com.amazonaws.services.lambda.runtime.events.SQSEvent.class));
        code.add(location(org.joda.time.DateTime.class));
        return bundled.withFunction(code);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunnerOptions options() {
        return RunnerOptions.defaults().freePorts().inMemory(true).pollers(2)
                .template(template()).code(code()).settings(AstraLocalExtension.TEST_SETTINGS);
    }

    static LocalRunner start() {
        return LocalRunner.start(options());
    }
}
