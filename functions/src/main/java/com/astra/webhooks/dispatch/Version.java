package com.astra.webhooks.dispatch;

/** The product version sent in User-Agent; read from the jar manifest, "dev" when run from classes. */
final class Version {
    private Version() {}

    static final String VALUE = version();

    private static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
