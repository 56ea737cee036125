package com.astra.webhooks.config;

/**
 * One setting of the service: its environment variable, its default, what it accepts, how a
 * deployed stack sets it and what it means. The table of them is {@link SettingSpecs}.
 *
 * @param name     the environment variable
 * @param fallback the value an unset (or blank) variable means, as it would be written in the
 *                 variable; null when unset means "none" (the setting is off or absent)
 * @param local    what the local runner sets when the user does not (null: nothing)
 * @param range    the bounds of a whole-number setting, else null
 * @param accepts  what a value must be, as a refusal names it ("expected …")
 * @param deployed where a deployed function's value comes from
 * @param meaning  one line for the documentation
 */
public record SettingSpec(String name, String fallback, String local, Range range, String accepts, Deployed deployed,
                          String meaning) {

    /** A whole number from {@code min} to {@code max}, in {@code unit}. */
    public record Range(int min, int max, String unit) {
        String accepts() {
            return "a whole number of " + unit + " from " + min + " to " + max;
        }
    }

    /** Where template.yaml takes a deployed function's value from. */
    public enum Source {
        /** {@code Ref} to the stack parameter {@link Deployed#ref()}, whose Default is the fallback. */
        PARAMETER,
        /** A literal in the template, equal to the fallback: not a stack parameter. */
        FIXED,
        /** {@code Ref} to the stack's own resource {@link Deployed#ref()}; never a user's value. */
        RESOURCE,
        /** Lambda sets it (a reserved variable). */
        LAMBDA,
        /** The template does not set it: on AWS the fallback holds (locally the runner may set it). */
        NONE
    }

    public record Deployed(Source source, String ref) {
        static Deployed parameter(String name) {
            return new Deployed(Source.PARAMETER, name);
        }

        static Deployed resource(String logicalId) {
            return new Deployed(Source.RESOURCE, logicalId);
        }

        static final Deployed FIXED = new Deployed(Source.FIXED, null);
        static final Deployed LAMBDA = new Deployed(Source.LAMBDA, null);
        static final Deployed NONE = new Deployed(Source.NONE, null);
    }
}
