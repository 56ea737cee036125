package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.config.SettingSpec;
import com.astra.webhooks.config.SettingSpec.Source;
import com.astra.webhooks.config.SettingSpecs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * template.yaml sets each setting the way {@link SettingSpecs} says, with the spec's default: a
 * parameter's Default is the spec's fallback and its range lies within the spec's, a literal is
 * the fallback, a resource reference names the spec's resource, and a setting the spec keeps out
 * of the template is in no function's environment. Every variable a function declares is in the
 * spec (but the JVM's own options).
 */
class SettingSpecsMatchTemplateTest {

    private static final TemplateModel TEMPLATE = TemplateModel.bundled();
    /** Read by the JVM, not by the service's settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("JAVA_TOOL_OPTIONS");

    @Test
    void everyVariableTheTemplateSetsIsASetting() {
        Set<String> unknown = new TreeSet<>(declared().keySet());
        unknown.removeAll(SettingSpecs.BY_NAME.keySet());
        unknown.removeAll(NOT_SETTINGS);
        assertEquals(Set.of(), unknown, "variables template.yaml sets that SettingSpecs does not know");
    }

    @Test
    void eachSettingIsSetAsTheSpecSays() {
        Map<String, List<Object>> declared = declared();
        Map<String, Object> parameters = TemplateModel.map(TEMPLATE.root().get("Parameters"));
        for (SettingSpec spec : SettingSpecs.ALL) {
            List<Object> values = declared.getOrDefault(spec.name(), List.of());
            Source source = spec.deployed().source();
            if (source == Source.NONE || source == Source.LAMBDA) {
                assertTrue(values.isEmpty(), spec.name() + " is " + source + " in the spec but template.yaml sets it");
                continue;
            }
            assertFalse(values.isEmpty(), spec.name() + " is set by the template in the spec, but no function declares it");
            for (Object value : values) {
                switch (source) {
                    case FIXED -> assertEquals(spec.fallback(), String.valueOf(value), spec.name());
                    case PARAMETER -> assertEquals(Map.of("Ref", spec.deployed().ref()), value, spec.name());
                    case RESOURCE -> assertEquals(spec.deployed().ref(), resourceIn(value), spec.name());
                    default -> throw new AssertionError(source);
                }
            }
            if (source == Source.PARAMETER) {
                Map<String, Object> parameter = TemplateModel.map(parameters.get(spec.deployed().ref()));
                assertNotNull(parameters.get(spec.deployed().ref()), "no parameter " + spec.deployed().ref());
                Object fallback = parameter.get("Default");
                assertEquals(spec.fallback() == null ? "" : spec.fallback(), String.valueOf(fallback),
                        spec.name() + ": the default of parameter " + spec.deployed().ref());
                if (spec.range() != null) {
                    int min = ((Number) parameter.get("MinValue")).intValue();
                    int max = ((Number) parameter.get("MaxValue")).intValue();
                    assertTrue(min >= spec.range().min() && max <= spec.range().max(), spec.name() + ": parameter "
                            + spec.deployed().ref() + " allows " + min + ".." + max + ", the code " + spec.range());
                }
            }
        }
    }

    @Test
    void theRunnersLocalDefaultsAreTheSpecs() {
        assertEquals(SettingSpecs.localDefaults(), LocalRunner.LOCAL_DEFAULTS);
    }

    /** Each variable with the values the functions (Globals included) give it. */
    private static Map<String, List<Object>> declared() {
        Map<String, List<Object>> out = new HashMap<>();
        for (TemplateModel.Function f : TEMPLATE.functions()) {
            Map<String, Object> environment = TemplateModel.map(TEMPLATE.effectiveProperties(f.name()).get("Environment"));
            TemplateModel.map(environment.get("Variables")).forEach((name, value) ->
                    out.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value));
        }
        return out;
    }

    /** The resource of {@code Ref: X}, or of {@code Fn::If: [condition, {Ref: X}, ""]}. */
    private static String resourceIn(Object value) {
        Map<String, Object> m = TemplateModel.map(value);
        if (m.containsKey("Fn::If")) {
            return TemplateModel.referencedResource(TemplateModel.list(m.get("Fn::If")).get(1));
        }
        return TemplateModel.referencedResource(value);
    }
}
