package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per handler class, created on first use like a Lambda container's cold start,
 * so that a handler missing from the class path only breaks its own routes. Handler strings
 * have the SAM form {@code com.example.Handler::method}.
 */
final class LambdaHandlers {

    private final Map<String, Object> instances = new ConcurrentHashMap<>();
    private final ClassLoader loader;

    LambdaHandlers(ClassLoader loader) {
        this.loader = loader;
    }

    static String className(String handler) {
        int sep = handler.indexOf("::");
        return sep < 0 ? handler : handler.substring(0, sep);
    }

    static String methodName(String handler) {
        int sep = handler.indexOf("::");
        return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object invoke(String handler, Object event, Context context) throws Exception {
        Object target = instance(className(handler));
        String method = methodName(handler);
        if (target instanceof RequestHandler h && method.equals("handleRequest")) {
            return h.handleRequest(event, context);
        }
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() <= 2
                    && (m.getParameterCount() == 0 || m.getParameterTypes()[0].isInstance(event))) {
                Object[] args = m.getParameterCount() == 2 ? new Object[] {event, context}
                        : m.getParameterCount() == 1 ? new Object[] {event} : new Object[0];
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
        throw new NoSuchMethodException(handler + " accepting " + event.getClass().getSimpleName());
    }

    private Object instance(String className) {
        return instances.computeIfAbsent(className, name -> {
            try {
                return Class.forName(name, true, loader).getConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("handler " + name + " failed to initialise", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate handler " + name + ": " + e, e);
            }
        });
    }
}
