package com.astra.webhooks.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The parts of the SAM template the runner acts on: functions with their HTTP and SQS events,
 * the events queue and the table. Everything else stays reachable as raw maps through
 * {@link #resource(String)} so tests can check the template without a second parser.
 */
public final class TemplateModel {

    public static final String BUNDLED = "template.yaml";

    /** One {@code Type: HttpApi} event of a function. {@code path} is {@code $default} for the fallback. */
    public record HttpRoute(String functionName, String handler, String method, String path) {
        public String routeKey() {
            return "$default".equals(path) ? "$default" : method + " " + path;
        }
    }

    /** The function fed by an SQS queue, with the knobs of its event source mapping. */
    /** {@code maximumConcurrency} is ScalingConfig.MaximumConcurrency, 0 when the template sets none. */
    public record SqsSource(String functionName, String handler, String queueResource, int batchSize,
                            int batchingWindowSeconds, boolean reportsBatchItemFailures, int maximumConcurrency) {}

    public record Function(String name, String handler, int timeoutSeconds, int memoryMb) {}

    private final Map<String, Object> root;

    private TemplateModel(Map<String, Object> root) {
        this.root = root;
    }

    public static TemplateModel parse(String yaml) {
        Object doc = new Yaml(new IntrinsicTolerantConstructor()).load(yaml);
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("template is not a YAML mapping");
        }
        return new TemplateModel(map(doc));
    }

    public static TemplateModel load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
    }

    /** The template.yaml copied into this jar at build time. */
    public static TemplateModel bundled() {
        try (InputStream in = TemplateModel.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is not on the class path (build with mvn package)");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in template");
        }
        return map(r);
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).getOrDefault("Properties", Map.of()));
    }

    public Map<String, Object> globalFunction() {
        return map(map(root.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of()));
    }

    /**
     * A function's properties with {@code Globals.Function} applied as SAM's globals plugin does:
     * mappings merge key by key, lists concatenate (globals first), anything else (intrinsics
     * included) takes the function's own value.
     */
    public Map<String, Object> effectiveProperties(String functionName) {
        return map(mergeGlobal(globalFunction(), properties(functionName)));
    }

    private static Object mergeGlobal(Object global, Object local) {
        if (local == null) {
            return global;
        }
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l && !isIntrinsic(g) && !isIntrinsic(l)) {
            Map<String, Object> merged = new LinkedHashMap<>(map(g));
            map(l).forEach((k, v) -> merged.put(k, mergeGlobal(merged.get(k), v)));
            return merged;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> merged = new ArrayList<>(g);
            merged.addAll(l);
            return merged;
        }
        return local;
    }

    private static boolean isIntrinsic(Map<?, ?> m) {
        return m.size() == 1 && m.keySet().stream().anyMatch(k -> "Ref".equals(k) || String.valueOf(k).startsWith("Fn::"));
    }

    public List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public List<Function> functions() {
        List<Function> out = new ArrayList<>();
        for (String id : resourcesOfType("AWS::Serverless::Function")) {
            Map<String, Object> p = properties(id);
            out.add(new Function(id, string(p.get("Handler")),
                    intValue(p.getOrDefault("Timeout", globalFunction().getOrDefault("Timeout", 3))),
                    intValue(p.getOrDefault("MemorySize", globalFunction().getOrDefault("MemorySize", 128)))));
        }
        return out;
    }

    public Function function(String name) {
        return functions().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + name));
    }

    public List<HttpRoute> httpRoutes() {
        List<HttpRoute> routes = new ArrayList<>();
        for (Function f : functions()) {
            events(f.name()).forEach((name, event) -> {
                Map<String, Object> e = map(event);
                if ("HttpApi".equals(e.get("Type"))) {
                    Map<String, Object> p = map(e.getOrDefault("Properties", Map.of()));
                    String method = string(p.getOrDefault("Method", "ANY")).toUpperCase();
                    String path = string(p.getOrDefault("Path", "$default"));
                    routes.add(new HttpRoute(f.name(), f.handler(), method, path));
                }
            });
        }
        return routes;
    }

    /** The first SQS event source: the one fed by the queue agents publish to. */
    public Optional<SqsSource> sqsSource() {
        return sqsSources().stream().findFirst();
    }

    /** Every SQS event source, in template order (the events queue's first, then e.g. the slow lane's). */
    public List<SqsSource> sqsSources() {
        List<SqsSource> sources = new ArrayList<>();
        for (Function f : functions()) {
            for (Object event : events(f.name()).values()) {
                Map<String, Object> e = map(event);
                if ("SQS".equals(e.get("Type"))) {
                    Map<String, Object> p = map(e.getOrDefault("Properties", Map.of()));
                    Object types = p.getOrDefault("FunctionResponseTypes", List.of());
                    sources.add(new SqsSource(f.name(), f.handler(), referencedResource(p.get("Queue")),
                            intValue(resolve(p.getOrDefault("BatchSize", 10))),
                            intValue(resolve(p.getOrDefault("MaximumBatchingWindowInSeconds", 0))),
                            types instanceof List<?> l && l.contains("ReportBatchItemFailures"),
                            intValue(resolve(map(p.getOrDefault("ScalingConfig", Map.of())).getOrDefault("MaximumConcurrency", 0)))));
                }
            }
        }
        return sources;
    }

    public Map<String, Object> events(String functionName) {
        return map(properties(functionName).getOrDefault("Events", Map.of()));
    }

    /** Replaces {@code {Ref: SomeParameter}} by the parameter's default; other values pass through. */
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Ref")) {
            Map<String, Object> params = map(root.getOrDefault("Parameters", Map.of()));
            Object param = params.get(String.valueOf(m.get("Ref")));
            if (param != null) {
                return map(param).get("Default");
            }
        }
        return value;
    }

    /** The logical id named by {@code Ref: X} or {@code Fn::GetAtt: [X, Attr]}. */
    public static String referencedResource(Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.get("Ref") != null) {
                return String.valueOf(m.get("Ref"));
            }
            Object getAtt = m.get("Fn::GetAtt");
            if (getAtt instanceof List<?> l && !l.isEmpty()) {
                return String.valueOf(l.get(0));
            }
            if (getAtt instanceof String s) {
                return s.split("\\.")[0];
            }
        }
        throw new IllegalArgumentException("not a resource reference: " + value);
    }

    public int intValue(Object v) {
        Object resolved = resolve(v);
        if (resolved instanceof Number n) {
            return n.intValue();
        }
        return Integer.parseInt(String.valueOf(Objects.requireNonNull(resolved, "missing number")).trim());
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /**
     * The template keeps intrinsics in long form, but a hand edit with {@code !Ref}/{@code !GetAtt}/
     * {@code !Sub} must not break the runner: short tags become the long form they abbreviate.
     */
    private static final class IntrinsicTolerantConstructor extends SafeConstructor {
        IntrinsicTolerantConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode s) {
                        value = constructScalar(s);
                        if ("GetAtt".equals(name)) {
                            value = List.of(((String) value).split("\\.", 2));
                        }
                    } else if (node instanceof SequenceNode s) {
                        value = constructSequence(s);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put("Ref".equals(name) || "Condition".equals(name) ? name : "Fn::" + name, value);
                    return intrinsic;
                }
            });
        }
    }
}
