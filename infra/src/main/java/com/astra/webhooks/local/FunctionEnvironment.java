package com.astra.webhooks.local;

import com.astra.webhooks.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The environment each function of the template gets, as CloudFormation and Lambda build it:
 * {@code Globals.Function.Environment.Variables} merged with the function's own, every intrinsic
 * resolved, plus the variables Lambda itself sets. A function never sees a variable its template
 * entry does not declare, so locally it cannot depend on one it would not get on AWS.
 *
 * <p>Locally, in place of stack parameters and resources:
 * <ul>
 *   <li>a user setting (the runner's environment or its options) overrides a declared variable,
 *       as {@code sam local} does; one that feeds a {@code Ref} to a parameter must pass that
 *       parameter's constraints, or the runner stops as CloudFormation would refuse the value;</li>
 *   <li>{@code Ref} to the table or a queue is the local table name or queue URL (not overridable);</li>
 *   <li>conditions are evaluated over parameter values; {@code Ref} to a Secrets Manager secret is
 *       empty (there is none locally), so {@code JWT_SECRET_ARN} is empty and the local-only
 *       {@code JWT_SECRET} stands in for the secret it names;</li>
 *   <li>a user setting no function declares (EVENT_TYPES, MAX_CONCURRENCY: not stack parameters)
 *       goes to every function, the one way the runner is kinder than a deployed stack;</li>
 *   <li>the endpoints of the local DynamoDB and SQS, and the user's own AWS credentials in place of
 *       the execution role's.</li>
 * </ul>
 */
final class FunctionEnvironment {

    /** Lambda sets these; it refuses a function configuration that sets one (Lambda's "reserved" variables). */
    static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ");

    /** On Lambda the execution role's credentials; locally whatever the user's environment holds. */
    static final List<String> CREDENTIALS = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");

    /** Local-only variables that stand in for a declared one: the HS256 key instead of the secret's ARN. */
    static final Map<String, String> STAND_INS = Map.of(Settings.JWT_SECRET_ARN, Settings.JWT_SECRET);

    /** The stack's own resources: only a template {@code Ref} names them, never a user setting. */
    static final Set<String> STACK_RESOURCES = Set.of(Settings.TABLE_NAME, Settings.EVENTS_QUEUE_URL, Settings.DLQ_URL,
            Settings.SLOW_QUEUE_URL);

    /** Lambda's limit on a function's configured variables, names and values together. */
    static final int MAX_BYTES = 4096;

    private static final Pattern KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]+");
    /** A loopback http:// URL: locally it passes an https://-only pattern, as http:// receivers do. */
    private static final Pattern LOOPBACK_HTTP = Pattern.compile("http://(127(\\.\\d{1,3}){3}|localhost|\\[::1])([:/].*)?");

    /**
     * What the local stack has in place of the stack's resources: the value of {@code Ref} to each
     * resource by logical id, the local-only endpoints, and the region.
     */
    record Local(Map<String, String> resources, Map<String, String> endpoints, Map<String, String> credentials,
                 String region) {}

    private final TemplateModel template;
    private final Map<String, String> user;
    private final Map<String, Object> parameters;
    private final Set<String> declared = new TreeSet<>();

    /**
     * Checks the template's variables and the user's settings, as a deploy would.
     *
     * @throws LocalRunner.StartupException naming the first variable or value a deploy would refuse
     */
    FunctionEnvironment(TemplateModel template, Map<String, String> user) {
        this.template = template;
        this.user = Map.copyOf(user);
        this.parameters = TemplateModel.map(template.root().getOrDefault("Parameters", Map.of()));
        for (TemplateModel.Function f : template.functions()) {
            variables(f.name()).forEach((name, value) -> {
                if (!KEY.matcher(name).matches() || RESERVED.contains(name)) {
                    throw new LocalRunner.StartupException(f.name() + " sets environment variable " + name
                            + "; Lambda refuses " + (RESERVED.contains(name) ? "a reserved name" : "that name"));
                }
                declared.add(name);
                String parameter = referencedParameter(value);
                if (parameter != null && this.user.containsKey(name)) {
                    checkConstraints(name, this.user.get(name), parameter);
                }
            });
        }
    }

    /** User settings no function declares: they go to every function (see the class comment). */
    Set<String> undeclared() {
        Set<String> names = new TreeSet<>(user.keySet());
        names.removeAll(declared);
        names.removeAll(RESERVED);
        names.removeAll(STAND_INS.values());
        names.removeAll(STACK_RESOURCES);
        names.removeAll(List.of(Settings.AWS_ENDPOINT_URL_DYNAMODB, Settings.AWS_ENDPOINT_URL_SQS));
        return names;
    }

    /** Every function's environment, by function name. */
    Map<String, Map<String, String>> all(Local local) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        template.functions().forEach(f -> out.put(f.name(), of(f.name(), local)));
        return out;
    }

    /** What {@code functionName} finds in its environment. */
    Map<String, String> of(String functionName, Local local) {
        TemplateModel.Function function = template.function(functionName);
        Map<String, String> env = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, Object> v : variables(functionName).entrySet()) {
            String name = v.getKey();
            String value;
            String resource = resourceReference(v.getValue());
            if (resource != null) {
                value = local.resources().get(resource);
                if (value == null) {
                    throw new LocalRunner.StartupException(functionName + ": " + name + " refers to " + resource
                            + ", which the runner does not create");
                }
            } else {
                value = user.containsKey(name) ? user.get(name) : evaluate(functionName, name, v.getValue(), local);
            }
            if (value != null) {
                env.put(name, value);
                bytes += (name + value).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (bytes > MAX_BYTES) {
            throw new LocalRunner.StartupException(functionName + ": its environment variables take " + bytes
                    + " bytes; Lambda allows " + MAX_BYTES);
        }
        STAND_INS.forEach((declaredName, standIn) -> {
            if (env.containsKey(declaredName) && user.get(standIn) != null) {
                env.put(standIn, user.get(standIn));
            }
        });
        undeclared().forEach(name -> env.put(name, user.get(name)));
        env.putAll(local.endpoints());
        env.putAll(local.credentials());
        env.putAll(runtimeVariables(function, local.region()));
        return env;
    }

    /** What the Lambda runtime sets in every function's environment and this code may read. */
    private Map<String, String> runtimeVariables(TemplateModel.Function function, String region) {
        Map<String, Object> properties = template.effectiveProperties(function.name());
        Map<String, Object> logging = TemplateModel.map(properties.get("LoggingConfig"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("_HANDLER", function.handler());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + properties.getOrDefault("Runtime", "java21"));
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        if ("JSON".equals(logging.get("LogFormat"))) {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_LAMBDA_LOG_LEVEL", String.valueOf(logging.getOrDefault("ApplicationLogLevel", "INFO")));
        }
        env.put("TZ", ":UTC");
        return env;
    }

    private Map<String, Object> variables(String functionName) {
        return variables(template, functionName);
    }

    private static Map<String, Object> variables(TemplateModel template, String functionName) {
        Map<String, Object> environment = TemplateModel.map(template.effectiveProperties(functionName).get("Environment"));
        return TemplateModel.map(environment.get("Variables"));
    }

    /** A literal, a parameter's value, a pseudo parameter or a condition's branch; null for AWS::NoValue. */
    private String evaluate(String functionName, String name, Object value, Local local) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value == null ? "" : String.valueOf(value);
        }
        Map<String, Object> intrinsic = TemplateModel.map(value);
        if (intrinsic.containsKey("Ref")) {
            String ref = String.valueOf(intrinsic.get("Ref"));
            return switch (ref) {
                case "AWS::NoValue" -> null;
                case "AWS::Region" -> local.region();
                case "AWS::AccountId" -> LambdaFunction.ACCOUNT;
                default -> {
                    if (parameters.containsKey(ref)) {
                        yield parameterValue(ref);
                    }
                    String resource = local.resources().get(ref);
                    if (resource == null) {
                        throw new LocalRunner.StartupException(functionName + ": " + name + " refers to " + ref
                                + ", which the runner does not create");
                    }
                    yield resource;
                }
            };
        }
        if (intrinsic.containsKey("Fn::If")) {
            List<Object> args = TemplateModel.list(intrinsic.get("Fn::If"));
            return evaluate(functionName, name, condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2), local);
        }
        throw new LocalRunner.StartupException(functionName + ": " + name + " uses " + intrinsic.keySet()
                + ", which the runner does not resolve (use a literal, Ref or Fn::If)");
    }

    private boolean condition(String name) {
        Object definition = TemplateModel.map(template.root().get("Conditions")).get(name);
        if (definition == null) {
            throw new LocalRunner.StartupException("template has no condition " + name);
        }
        return truth(definition);
    }

    private boolean truth(Object expression) {
        Map<String, Object> e = TemplateModel.map(expression);
        if (e.containsKey("Condition")) {
            return condition(String.valueOf(e.get("Condition")));
        }
        if (e.containsKey("Fn::Not")) {
            return !truth(TemplateModel.list(e.get("Fn::Not")).get(0));
        }
        if (e.containsKey("Fn::And")) {
            return TemplateModel.list(e.get("Fn::And")).stream().allMatch(this::truth);
        }
        if (e.containsKey("Fn::Or")) {
            return TemplateModel.list(e.get("Fn::Or")).stream().anyMatch(this::truth);
        }
        if (e.containsKey("Fn::Equals")) {
            List<Object> pair = TemplateModel.list(e.get("Fn::Equals"));
            return scalar(pair.get(0)).equals(scalar(pair.get(1)));
        }
        throw new LocalRunner.StartupException("the runner cannot evaluate condition " + e.keySet());
    }

    private String scalar(Object value) {
        String parameter = referencedParameter(value);
        if (parameter != null) {
            return parameterValue(parameter);
        }
        if (value instanceof Map) {
            throw new LocalRunner.StartupException("the runner cannot evaluate " + value + " in a condition");
        }
        return String.valueOf(value);
    }

    /**
     * A parameter's value: the user's setting for a variable that refers to it, else its default.
     * Conditions see the same value the variables do.
     */
    private String parameterValue(String parameter) {
        for (TemplateModel.Function f : template.functions()) {
            for (Map.Entry<String, Object> v : variables(f.name()).entrySet()) {
                if (parameter.equals(referencedParameter(v.getValue())) && user.containsKey(v.getKey())) {
                    return user.get(v.getKey());
                }
            }
        }
        Object fallback = TemplateModel.map(parameters.get(parameter)).get("Default");
        if (fallback == null) {
            throw new LocalRunner.StartupException("template parameter " + parameter + " has no Default;"
                    + " set the variable that refers to it");
        }
        return String.valueOf(fallback);
    }

    private String referencedParameter(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") != null
                && parameters.containsKey(String.valueOf(m.get("Ref")))) {
            return String.valueOf(m.get("Ref"));
        }
        return null;
    }

    /** The logical id of a resource that {@code Ref} names (not a parameter, not a pseudo parameter). */
    private String resourceReference(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") != null) {
            String ref = String.valueOf(m.get("Ref"));
            return parameters.containsKey(ref) || ref.startsWith("AWS::") ? null : ref;
        }
        return null;
    }

    /** CloudFormation refuses a parameter value outside its constraints; so does the runner. */
    private void checkConstraints(String name, String value, String parameter) {
        Map<String, Object> p = TemplateModel.map(parameters.get(parameter));
        String type = String.valueOf(p.getOrDefault("Type", "String"));
        String accepted = null;
        if (type.equals("Number")) {
            Double number = number(value);
            Double min = number(p.get("MinValue"));
            Double max = number(p.get("MaxValue"));
            if (number == null || (min != null && number < min) || (max != null && number > max)) {
                accepted = "a number" + (min != null ? " from " + p.get("MinValue") : "")
                        + (max != null ? (min != null ? " to " : " up to ") + p.get("MaxValue") : "");
            }
        } else {
            int length = value.length();
            Object min = p.get("MinLength");
            Object max = p.get("MaxLength");
            if ((min != null && length < ((Number) min).intValue()) || (max != null && length > ((Number) max).intValue())) {
                accepted = (min != null ? "at least " + min + " " : "") + (min != null && max != null ? "and " : "")
                        + (max != null ? "at most " + max + " " : "") + "characters";
            } else if (p.get("AllowedPattern") != null && !matches(String.valueOf(p.get("AllowedPattern")), value)) {
                accepted = p.get("ConstraintDescription") != null ? String.valueOf(p.get("ConstraintDescription"))
                        : "a value matching " + p.get("AllowedPattern");
            }
        }
        if (accepted == null && p.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().map(String::valueOf).noneMatch(value::equals)) {
            accepted = "one of " + allowed;
        }
        if (accepted != null) {
            String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
            throw new LocalRunner.StartupException(name + "=" + shown.replaceAll("\\p{Cntrl}", "?")
                    + " is not valid; expected " + accepted + " (template parameter " + parameter + ")");
        }
    }

    private static boolean matches(String pattern, String value) {
        try {
            Pattern compiled = Pattern.compile(pattern);
            return compiled.matcher(value).matches()
                    || LOOPBACK_HTTP.matcher(value).matches() && compiled.matcher("https" + value.substring(4)).matches();
        } catch (PatternSyntaxException e) {
            throw new LocalRunner.StartupException("template AllowedPattern " + pattern + " is not a valid pattern");
        }
    }

    private static Double number(Object value) {
        if (value == null) {
            return null;
        }
        String s = String.valueOf(value).strip();
        return s.matches("-?\\d+(\\.\\d+)?") ? Double.valueOf(s) : null;
    }

    /** The names the template declares for any function (the runner reads these from its own environment). */
    static Set<String> declaredNames(TemplateModel template) {
        Set<String> names = new LinkedHashSet<>();
        template.functions().forEach(f -> names.addAll(variables(template, f.name()).keySet()));
        return names;
    }
}
