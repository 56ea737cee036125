package com.astra.webhooks.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dynoxide DynamoDB emulator as a child process. It runs under a tiny shell watchdog that
 * holds our end of a pipe: when this JVM dies, even by kill -9, the pipe closes and the watchdog
 * kills dynoxide. A pid file in the data dir catches whatever still slips through.
 */
final class Dynoxide implements AutoCloseable {

    static final String NPM_PATH = "node_modules/@dynoxide/linux-x64/dynoxide";

    /** Runs "$@" in the background, waits for stdin to close, then stops it. */
    private static final String WATCHDOG =
            "\"$@\" </dev/null & child=$!; echo $child > \"$PIDFILE\"; cat >/dev/null; kill $child 2>/dev/null; wait $child";

    private final Process watchdog;
    private final int port;
    private final Path pidFile;
    private final Path tempDir;

    private Dynoxide(Process watchdog, int port, Path pidFile, Path tempDir) {
        this.watchdog = watchdog;
        this.port = port;
        this.pidFile = pidFile;
        this.tempDir = tempDir;
    }

    /** DYNOXIDE_BIN, else the npm install next to the working directory or next to this jar. */
    static Optional<Path> locate() {
        String env = System.getenv("DYNOXIDE_BIN");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>();
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve("infra").resolve(NPM_PATH));
        candidates.add(cwd.resolve(NPM_PATH));
        jarDirectory().ifPresent(dir -> {
            candidates.add(dir.resolve(NPM_PATH));                 // infra/target/classes
            candidates.add(dir.getParent() == null ? dir : dir.getParent().resolve(NPM_PATH)); // infra/target -> infra
            if (dir.getParent() != null && dir.getParent().getParent() != null) {
                candidates.add(dir.getParent().getParent().resolve(NPM_PATH));
            }
        });
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> jarDirectory() {
        try {
            Path p = Path.of(Dynoxide.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(Files.isDirectory(p) ? p : p.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param dataDir where dynoxide.db lives, or null for in-memory; the pid file goes there too
     *                (or to a temp file when in memory)
     */
    static Dynoxide start(Path binary, int port, Path dataDir) throws IOException {
        Path stateDir = dataDir != null ? dataDir : Files.createTempDirectory("astra-dynoxide");
        Path pidFile = stateDir.resolve("dynoxide.pid");
        killStale(pidFile);
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "dynoxide-watchdog",
                binary.toString(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (dataDir != null) {
            command.add("--db-path");
            command.add(dataDir.resolve("dynoxide.db").toAbsolutePath().toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("dynoxide.log").toFile());
        pb.environment().put("PIDFILE", pidFile.toAbsolutePath().toString());
        return new Dynoxide(pb.start(), port, pidFile, dataDir == null ? stateDir : null);
    }

    /** A dynoxide left running by a previous runner that was killed before its watchdog could act. */
    private static void killStale(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.contains("dynoxide")).orElse(false))
                    .ifPresent(h -> {
                        System.err.println("[astra-local] stopping stale dynoxide (pid " + pid + ")");
                        h.destroy();
                        h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> { h.destroyForcibly(); return h; }).join();
                    });
            Files.deleteIfExists(pidFile);
        } catch (IOException | RuntimeException e) {
            System.err.println("[astra-local] could not check " + pidFile + ": " + e.getMessage());
        }
    }

    /** The last lines dynoxide printed, for a startup error message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(pidFile.resolveSibling("dynoxide.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    boolean isAlive() {
        return watchdog.isAlive();
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Closing the pipe is the watchdog's signal; dynoxide gets SIGTERM and SQLite closes cleanly. */
    @Override
    public void close() {
        List<ProcessHandle> children = watchdog.descendants().toList();
        try {
            OutputStream stdin = watchdog.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // the watchdog is gone already; the descendants are handled below
        }
        try {
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
            if (tempDir != null) {
                Files.deleteIfExists(tempDir.resolve("dynoxide.log"));
                Files.deleteIfExists(tempDir);
            }
        } catch (IOException ignored) {
            // a stale pid file is re-checked against the process name on the next start
        }
    }
}
