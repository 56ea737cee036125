package com.astra.webhooks.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files a Lambda sandbox is made of: the function's code (the shaded astra-functions.jar,
 * bundled under {@code lambda/function}) and the Java runtime's own jars (the runtime interface
 * client and what it needs, under {@code lambda/runtime}). Inside astra-local.jar they are
 * copied out to a temporary directory once, since a class loader needs them as files.
 */
public record LambdaCode(List<Path> function, List<Path> runtime) {

    static final String BUNDLE = "lambda";

    public LambdaCode {
        function = List.copyOf(function);
        runtime = List.copyOf(runtime);
        if (function.isEmpty()) {
            throw new LocalRunner.StartupException("no function code found (infra/target/classes/lambda/function is"
                    + " empty: build from the repository root, `mvn -DskipTests package`, so that functions is shaded first)");
        }
        if (runtime.isEmpty()) {
            throw new LocalRunner.StartupException("no Lambda runtime jars found under lambda/runtime");
        }
    }

    /** The jars built into the runner: what {@code sam build} deploys, and the runtime that loads it. */
    public static LambdaCode bundled() {
        return new LambdaCode(bundledJars("function"), bundledJars("runtime"));
    }

    /** The bundled runtime with other function code (tests: stub handlers next to the real jar). */
    public LambdaCode withFunction(List<Path> code) {
        return new LambdaCode(code, runtime);
    }

    static URL[] urls(List<Path> paths) {
        return paths.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toArray(URL[]::new);
    }

    private static List<Path> bundledJars(String kind) {
        URL dir = LambdaCode.class.getClassLoader().getResource(BUNDLE + "/" + kind);
        if (dir == null) {
            return List.of();
        }
        try {
            URI uri = dir.toURI();
            if (!uri.getScheme().equals("jar")) {
                return jars(Path.of(uri));
            }
            Path target = Files.createTempDirectory("astra-local-" + kind);
            target.toFile().deleteOnExit();
            List<Path> copies = new ArrayList<>();
            for (Path jar : jars(zipPath(uri))) {
                Path copy = target.resolve(jar.getFileName().toString());
                Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
                copies.add(copy);
            }
            return copies;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + kind + " jars", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path zipPath(URI uri) throws IOException {
        FileSystem fs;
        try {
            fs = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException e) {
            fs = FileSystems.newFileSystem(uri, Map.of());
        }
        return fs.provider().getPath(uri);
    }

    /** Sorted by name, as the Lambda runtime orders a function's lib/*.jar. */
    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }
}
