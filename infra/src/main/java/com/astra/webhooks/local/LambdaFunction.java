package com.astra.webhooks.local;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One function's execution environment, built the way the Lambda Java runtime builds it. The
 * runtime interface client (RIC) and its libraries sit in a loader whose parent is the platform
 * loader, as they sit alone on the system class path on Lambda; the function's jar sits in a child
 * of it, so the handler sees its own jar and the runtime, never the runner's class path. On the
 * first invoke (the cold start) the RIC's own code finds and constructs the handler; each event
 * goes in as JSON bytes and the result comes out as JSON bytes through the RIC's serializers.
 *
 * <p>The RIC is driven through reflection because its classes live in that other loader. It is
 * the pinned 2.10.1: {@code AWSLambda.findRequestHandler} is what its {@code main} calls.
 */
final class LambdaFunction implements AutoCloseable {

    /** Lambda refuses to return more than this from a synchronous invoke. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    /** The account in every local ARN. */
    static final String ACCOUNT = "000000000000";

    private static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.";
    /** Where the function's code reads its environment (see that class: one JVM, many functions). */
    private static final String LAMBDA_ENVIRONMENT = "com.astra.webhooks.config.LambdaEnvironment";

    private final TemplateModel.Function function;
    private final LambdaCode code;
    private final Map<String, String> environment;
    private final String region;
    private final AtomicBoolean reportedInitFailure = new AtomicBoolean();
    private volatile Sandbox sandbox;

    /** The handler object the RIC returned, and what calling it takes. */
    private record Sandbox(URLClassLoader customerLoader, Object handler, Method call, Class<?> requestClass) {}

    /** The invocation failed: an init error, an unhandled exception, or a result Lambda would refuse. */
    static final class FunctionError extends Exception {
        FunctionError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code environment}: what Lambda would put in this function's environment (see FunctionEnvironment). */
    LambdaFunction(TemplateModel.Function function, LambdaCode code, Map<String, String> environment) {
        this.function = function;
        this.code = code;
        this.environment = Map.copyOf(environment);
        this.region = environment.getOrDefault("AWS_REGION", LocalRunner.REGION);
    }

    String name() {
        return function.name();
    }

    /** Runs the handler on {@code event} (JSON) and returns its serialized result. */
    byte[] invoke(byte[] event) throws FunctionError {
        Sandbox s = sandbox();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(s.customerLoader());
        try {
            Object request = s.requestClass().getConstructor().newInstance();
            set(request, "setId", String.class, UUID.randomUUID().toString());
            set(request, "setInvokedFunctionArn", String.class,
                    "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + function.name() + ":live");
            set(request, "setDeadlineTimeInMs", long.class, System.currentTimeMillis() + function.timeoutSeconds() * 1000L);
            set(request, "setContent", byte[].class, event);
            byte[] result = ((ByteArrayOutputStream) s.call().invoke(s.handler(), request)).toByteArray();
            if (result.length > MAX_RESPONSE_BYTES) {
                throw new FunctionError(function.name() + " returned " + result.length
                        + " bytes; Lambda's limit is " + MAX_RESPONSE_BYTES, null);
            }
            return result;
        } catch (InvocationTargetException e) {
            throw new FunctionError(function.name() + " failed: " + describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Lambda runtime interface client changed shape", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The initialised sandbox. A failed init leaves none behind, so the next invoke tries again
     * in a fresh one, as Lambda does after an init error.
     */
    private Sandbox sandbox() throws FunctionError {
        Sandbox s = sandbox;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (sandbox == null) {
                sandbox = init();
            }
            return sandbox;
        }
    }

    private Sandbox init() throws FunctionError {
        URLClassLoader runtime = new URLClassLoader("lambda-runtime-" + function.name(),
                LambdaCode.urls(code.runtime()), ClassLoader.getPlatformClassLoader());
        URLClassLoader customer = new URLClassLoader("lambda-function-" + function.name(),
                LambdaCode.urls(code.function()), runtime);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(customer);
        try {
            installLogger(runtime);
            if (!installEnvironment(customer)) {
                closeQuietly(customer, runtime);
                throw new FunctionError(function.name() + ": its code has no " + LAMBDA_ENVIRONMENT
                        + ", so the runner cannot give it its own environment", null);
            }
            Class<?> awsLambda = Class.forName(RIC + "AWSLambda", true, runtime);
            // what AWSLambda.main records before loading the handler; the serializers read it
            Field loaderField = awsLambda.getDeclaredField("customerClassLoader");
            loaderField.setAccessible(true);
            loaderField.set(null, customer);
            Method find = awsLambda.getDeclaredMethod("findRequestHandler", String.class, ClassLoader.class);
            find.setAccessible(true);
            Object handler = find.invoke(null, function.handler(), customer);
            Class<?> requestClass = Class.forName(RIC + "runtimeapi.dto.InvocationRequest", true, runtime);
            Method call = Class.forName(RIC + "LambdaRequestHandler", true, runtime).getMethod("call", requestClass);
            return new Sandbox(customer, handler, call, requestClass);
        } catch (InvocationTargetException e) {
            closeQuietly(customer, runtime);
            // a UserFault: the handler class is missing or broken, or its constructor threw
            Throwable fault = e.getCause();
            String report = describe(fault);
            if (reportedInitFailure.compareAndSet(false, true)) {
                System.err.println("[astra-local] " + function.name() + " init failed (" + function.handler() + "): " + report);
            } else {
                System.err.println("[astra-local] " + function.name() + " init failed again: " + report.lines().findFirst().orElse(""));
            }
            throw new FunctionError(function.name() + " init failed", fault);
        } catch (ReflectiveOperationException e) {
            closeQuietly(customer, runtime);
            throw new IllegalStateException("the Lambda runtime interface client changed shape", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * What AWSLambda.main does before it loads the handler: the function's {@code LambdaLogger}
     * becomes the runtime's own logger, in JSON format (the template's LoggingConfig), whose sink
     * here is {@link FunctionLogs} instead of the telemetry pipe. Records a function writes as
     * bytes pass through unchanged, strings are wrapped as Lambda wraps them.
     */
    private static void installLogger(ClassLoader runtime) throws ReflectiveOperationException {
        Class<?> sinkType = Class.forName(RIC + "logging.LogSink", true, runtime);
        Object sink = Proxy.newProxyInstance(runtime, new Class<?>[] {sinkType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "log" -> FunctionLogs.LOGGER.log((byte[]) args[args.length - 1]);
                case "hashCode" -> { return System.identityHashCode(proxy); }
                case "equals" -> { return proxy == args[0]; }
                case "toString" -> { return "FunctionLogs sink"; }
                default -> { } // close
            }
            return null;
        });
        Class<?> level = Class.forName("com.amazonaws.services.lambda.runtime.logging.LogLevel", true, runtime);
        Class<?> format = Class.forName("com.amazonaws.services.lambda.runtime.logging.LogFormat", true, runtime);
        Object logger = Class.forName(RIC + "logging.LambdaContextLogger", true, runtime)
                .getConstructor(sinkType, level, format)
                .newInstance(sink, level.getMethod("fromString", String.class).invoke(null, "INFO"),
                        format.getMethod("fromString", String.class).invoke(null, "JSON"));
        Field field = Class.forName("com.amazonaws.services.lambda.runtime.LambdaRuntime", true, runtime)
                .getDeclaredField("logger");
        field.setAccessible(true);
        field.set(null, logger);
    }

    /**
     * The function's own environment, in its own copy of {@code LambdaEnvironment}, before the
     * handler class is loaded: on Lambda the process environment is the function's alone; here
     * the process, and its system properties, are shared by every function.
     */
    private boolean installEnvironment(ClassLoader customer) throws ReflectiveOperationException {
        Class<?> holder;
        try {
            holder = Class.forName(LAMBDA_ENVIRONMENT, false, customer);
        } catch (ClassNotFoundException e) {
            return false;
        }
        Field variables = holder.getDeclaredField("variables");
        variables.setAccessible(true);
        variables.set(null, environment);
        return true;
    }

    /** Lets go of the sandbox's open jars. */
    @Override
    public synchronized void close() {
        Sandbox s = sandbox;
        sandbox = null;
        if (s != null) {
            closeQuietly(s.customerLoader(), (URLClassLoader) s.customerLoader().getParent());
        }
    }

    private static void closeQuietly(URLClassLoader... loaders) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (java.io.IOException e) {
                System.err.println("[astra-local] closing " + loader.getName() + ": " + e);
            }
        }
    }

    /** A UserFault as the runtime logs it (message and the customer's stack trace), else the exception. */
    private static String describe(Throwable t) {
        try {
            return t.getClass().getName().equals(RIC + "UserFault")
                    ? (String) t.getClass().getMethod("reportableError").invoke(t) : t.toString();
        } catch (ReflectiveOperationException e) {
            return t.toString();
        }
    }

    private static void set(Object target, String setter, Class<?> type, Object value) throws ReflectiveOperationException {
        target.getClass().getMethod(setter, type).invoke(target, value);
    }
}
