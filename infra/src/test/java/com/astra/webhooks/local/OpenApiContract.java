package com.astra.webhooks.local;

import com.astra.webhooks.core.Json;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repo's {@code openapi.yaml} as a checker of real responses: every response an integration
 * test receives through {@link Http} is matched to its operation (method, path template, status)
 * and its body validated against the documented schema with networknt's JSON Schema validator
 * (draft 2020-12, which OpenAPI 3.1 schemas are). A response the document does not describe, or
 * one that breaks its schema, fails the test that received it, so the document and the code
 * cannot drift apart.
 */
public final class OpenApiContract {

    /** Tests run in infra/, the benchmarks (through exec:java) in the repository root. */
    static final Path DOCUMENT = java.nio.file.Files.exists(Path.of("../openapi.yaml")) ? Path.of("../openapi.yaml")
            : Path.of("openapi.yaml");
    private static final String BASE = "https://astra.invalid/openapi.json";

    private static volatile OpenApiContract instance;

    private final Map<String, Object> doc;
    private final SchemaRegistry registry;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final AtomicLong checked = new AtomicLong();
    private final Set<String> operationsSeen = ConcurrentHashMap.newKeySet();

    private record Template(String path, Pattern pattern, int literalChars) {}

    @SuppressWarnings("unchecked")
    private OpenApiContract(String yaml) {
        this.doc = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(BASE, Json.write(doc))));
        for (String path : paths().keySet()) {
            String regex = Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            templates.add(new Template(path, Pattern.compile(regex), path.replaceAll("\\{[^}]+}", "").length()));
        }
        // "/webhooks/test-mode" is a literal route beside "/webhooks/{id}": the more literal template wins.
        templates.sort(Comparator.comparingInt(Template::literalChars).reversed());
    }

    public static OpenApiContract get() {
        if (instance == null) {
            synchronized (OpenApiContract.class) {
                if (instance == null) {
                    try {
                        instance = new OpenApiContract(Files.readString(DOCUMENT));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(
                            "openapi.yaml: " + instance.checked.get() + " responses of " + instance.operationsSeen.size()
                                    + " operations validated against the document")));
                }
            }
        }
        return instance;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> paths() {
        return (Map<String, Object>) doc.get("paths");
    }

    /** Every "METHOD /path" the document describes. */
    @SuppressWarnings("unchecked")
    public Set<String> routes() {
        Set<String> routes = new LinkedHashSet<>();
        paths().forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
                .filter(k -> Set.of("get", "put", "post", "delete", "patch").contains(k))
                .forEach(m -> routes.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    public long checked() {
        return checked.get();
    }

    /**
     * Checks one response; throws an AssertionError naming the operation and what is wrong.
     * Responses to routes the document does not list (a 404 or 405 for a path nobody serves)
     * are checked against the error shape.
     */
    @SuppressWarnings("unchecked")
    public void check(String method, String rawPath, int status, String contentType, String body) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String m = method.toLowerCase(Locale.ROOT);
        String template = templates.stream().filter(t -> t.pattern().matcher(path).matches()).map(Template::path)
                .findFirst().orElse(null);
        Map<String, Object> operation = template == null ? null
                : (Map<String, Object>) ((Map<String, Object>) paths().get(template)).get(m);
        String pointer;
        if (operation == null) {
            if (status != 404 && status != 405) {
                throw new AssertionError(method + " " + path + " answered " + status + " but openapi.yaml has no such operation");
            }
            pointer = "/components/schemas/Error";
        } else {
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            Object response = responses.get(Integer.toString(status));
            if (response == null) {
                throw new AssertionError(method + " " + template + " answered " + status
                        + ", which openapi.yaml does not list (it lists " + responses.keySet() + ")");
            }
            operationsSeen.add(method + " " + template);
            String base = "/paths/" + escape(template) + "/" + m + "/responses/" + status;
            if (((Map<String, Object>) response).containsKey("$ref")) {
                base = ((String) ((Map<String, Object>) response).get("$ref")).substring(1);
                response = resolve(base);
            }
            Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) response).get("content");
            if (content == null) {
                if (body != null && !body.isEmpty()) {
                    throw new AssertionError(method + " " + template + " " + status + " must have no body, got " + body);
                }
                checked.incrementAndGet();
                return;
            }
            String type = contentType == null ? "" : contentType.split(";")[0].trim();
            if (!content.containsKey(type)) {
                throw new AssertionError(method + " " + template + " " + status + " answered " + contentType
                        + "; openapi.yaml says " + content.keySet());
            }
            if (!type.equals("application/json")) {
                checked.incrementAndGet();
                return;
            }
            pointer = base + "/content/" + escape(type) + "/schema";
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError(method + " " + (template == null ? path : template) + " " + status
                    + " does not match openapi.yaml: " + errors + "\nbody: " + body);
        }
        checked.incrementAndGet();
    }

    @SuppressWarnings("unchecked")
    private Object resolve(String pointer) {
        Object node = doc;
        for (String part : pointer.substring(1).split("/")) {
            node = ((Map<String, Object>) node).get(part.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
