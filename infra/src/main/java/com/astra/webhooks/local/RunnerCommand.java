package com.astra.webhooks.local;

import com.astra.webhooks.auth.TokenIssuer;
import com.astra.webhooks.config.Settings;
import com.astra.webhooks.core.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line, {@code java -jar astra-local.jar [options] | token --tenant T | --help}: a
 * refusal is one line on stderr and exit code 2, so that scripts and people see the same reason.
 */
final class RunnerCommand {

    private RunnerCommand() {}

    static void run(String[] args) {
        LocalRunner.quietLogging();
        if (args.length > 0 && args[0].equals("token")) {
            try {
                System.out.println(token(List.of(args).subList(1, args.length), System.getenv()));
            } catch (RuntimeException e) {
                refuse(e);
            }
            return;
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(RunnerOptions.usage());
            return;
        }
        LocalRunner runner;
        try {
            RunnerOptions options = RunnerOptions.parse(args, System.getenv());
            FunctionJvmProperties.apply(options.template != null ? TemplateModel.load(options.template) : TemplateModel.bundled());
            runner = LocalRunner.start(options);
        } catch (RuntimeException e) {
            refuse(e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[astra-local] stopping...");
            runner.close();
            System.out.println("[astra-local] stopped");
        }, "astra-local-shutdown"));
        System.out.println(Banner.render(runner, runner.token("local")));
        runner.awaitStop();
    }

    /** {@code token --tenant T [--ttl 24h]}: every refusal is an exception whose message is one line. */
    static String token(List<String> args, Map<String, String> env) {
        String tenant = null;
        Duration ttl = Duration.ofHours(24);
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            String value = i + 1 < args.size() ? args.get(++i) : null;
            switch (option) {
                case "--tenant" -> tenant = value;
                case "--ttl" -> ttl = Durations.parse(value).orElseThrow(() -> new IllegalArgumentException(
                        "--ttl " + (value == null ? "needs a value" : "'" + value + "' is not a duration") + "; expected "
                                + Durations.ACCEPTED));
                default -> throw new IllegalArgumentException("unknown token option " + option
                        + "; usage: token --tenant T [--ttl 24h]");
            }
        }
        if (tenant == null) {
            throw new IllegalArgumentException("usage: token --tenant T [--ttl 24h]");
        }
        // the secret the runner's handlers would see with this environment, so the token is one they accept
        Settings settings = Settings.parse(RunnerSettings.effective(env,
                RunnerSettings.user(RunnerOptions.defaults(), env, Set.of())));
        return TokenIssuer.issueHs256(Settings.require(Settings.JWT_SECRET, settings.jwtSecret()), tenant, ttl);
    }

    private static void refuse(RuntimeException e) {
        System.err.println("astra-local: " + e.getMessage());
        System.exit(2);
    }
}
