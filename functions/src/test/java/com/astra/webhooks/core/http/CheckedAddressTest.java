package com.astra.webhooks.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.urlguard.HostResolver;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.local.Receiver;
import com.astra.webhooks.local.Receiver.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSRF residual risk, measured rather than argued: a name whose answer changes right after
 * the send-time check. In a child JVM whose resolver reads a hosts file this test rewrites, the
 * guard's lookup returns 127.0.0.2, then the file says 127.0.0.3. With the JVM's positive DNS
 * cache (the default, also on Lambda) the HTTP client connects to the address that was checked;
 * with the cache switched off it follows the new answer. So the gap is the cache entry expiring
 * between check and connect, which is what the README's residual-risk paragraph says.
 */
class CheckedAddressTest {

    @TempDir
    Path dir;

    @Test
    void theConnectionGoesToTheCheckedAddressWhileTheJvmCachesTheAnswer() throws Exception {
        assertEquals("127.0.0.2", runProbe(List.of()));
    }

    @Test
    void withoutTheCacheTheClientWouldFollowTheNewAnswer() throws Exception {
        assertEquals("127.0.0.3", runProbe(List.of("-Dsun.net.inetaddr.ttl=0")));
    }

    private String runProbe(List<String> jvmFlags) throws IOException, InterruptedException {
        Path hosts = dir.resolve("hosts");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), hosts.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].replace("received by ", "");
    }

    /** The child: two receivers, a resolver that changes the answer right after the guard asked. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path hosts = Path.of(args[0]);
            write(hosts, "127.0.0.2", Instant.now().minusSeconds(10));
            Receiver two = receiver("127.0.0.2", 0);
            Receiver three = receiver("127.0.0.3", 0);
            int port = two.port();
            three.close();
            three = receiver("127.0.0.3", port);
            HostResolver rebindingAfterCheck = name -> {
                InetAddress[] answer = HostResolver.SYSTEM.resolve(name);
                write(hosts, "127.0.0.3", Instant.now());
                return answer;
            };
            DeliveryClient client = new DeliveryClient(Duration.ofSeconds(5),
                    new TargetGuard(true, false, rebindingAfterCheck), "astra-webhooks/test");
            DeliveryResult result = client.send(URI.create("http://rebind.test:" + port + "/hook"), Map.of(), "{}");
            two.close();
            three.close();
            int received = two.count() + three.count();
            if (result.statusCode() == null || result.statusCode() != 204 || received != 1) {
                System.out.println("unexpected: " + result + " " + two.count() + " + " + three.count() + " requests");
                System.exit(1);
            }
            System.out.println("received by " + (two.count() == 1 ? "127.0.0.2" : "127.0.0.3"));
        }

        private static Receiver receiver(String address, int port) throws IOException {
            return new Receiver(InetAddress.getByName(address), port).otherwise(Answer.body(204, ""));
        }

        private static void write(Path hosts, String address, Instant modified) {
            try {
                Files.writeString(hosts, address + " rebind.test\n");
                Files.setLastModifiedTime(hosts, FileTime.from(modified));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
