package com.astra.webhooks.local;

import java.net.URISyntaxException;
import java.nio.file.Path;

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

    static LocalRunner start() {
        return LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(2)
                .template(template()).settings(AstraLocalExtension.TEST_SETTINGS));
    }
}
