package com.astra.webhooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust manager's promise: it accepts what the JDK's trust store accepts, and reads that
 * store only for a chain that no Amazon root signs. A test CA (made with the JDK's keytool) stands
 * in for whichever side a test needs; a real Amazon root stands in for a root that signed nothing.
 */
class AmazonRootsFirstTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static KeyStore keys;
    private static X509Certificate[] chain;
    private static X509Certificate testCa;
    private static X509Certificate unrelatedRoot;
    private static HttpsServer server;

    private final AtomicInteger jdkStoreReads = new AtomicInteger();

    @BeforeAll
    static void testCaAndAServerItSigned() throws Exception {
        Path store = dir.resolve("keys.p12");
        keytool("-genkeypair", "-keystore", store, "-alias", "ca", "-dname", "CN=Astra Test Root", "-keyalg", "EC",
                "-ext", "bc:c", "-validity", "2");
        keytool("-genkeypair", "-keystore", store, "-alias", "server", "-dname", "CN=127.0.0.1", "-keyalg", "EC",
                "-validity", "2");
        keytool("-certreq", "-keystore", store, "-alias", "server", "-file", dir.resolve("server.csr"));
        keytool("-gencert", "-keystore", store, "-alias", "ca", "-infile", dir.resolve("server.csr"),
                "-outfile", dir.resolve("server.crt"), "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth",
                "-validity", "2");
        keytool("-importcert", "-keystore", store, "-alias", "server", "-file", dir.resolve("server.crt"));

        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD);
        }
        chain = Arrays.stream(keys.getCertificateChain("server")).map(X509Certificate.class::cast)
                .toArray(X509Certificate[]::new);
        testCa = (X509Certificate) keys.getCertificate("ca");
        unrelatedRoot = AmazonRootsFirst.amazonRoots().get(0);

        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theEmbeddedRootsAreAmazonsFourAndStarfieldServicesAllInTheJdksOwnStore() throws Exception {
        List<X509Certificate> roots = AmazonRootsFirst.amazonRoots();
        List<String> subjects = new ArrayList<>();
        for (X509Certificate root : roots) {
            subjects.add(root.getSubjectX500Principal().getName());
            root.checkValidity();
        }
        assertEquals(List.of("CN=Amazon Root CA 1,O=Amazon,C=US", "CN=Amazon Root CA 2,O=Amazon,C=US",
                "CN=Amazon Root CA 3,O=Amazon,C=US", "CN=Amazon Root CA 4,O=Amazon,C=US",
                "CN=Starfield Services Root Certificate Authority - G2,O=Starfield Technologies\\, Inc.,L=Scottsdale,ST=Arizona,C=US"),
                subjects);
        List<X509Certificate> jdkStore = List.of(AmazonRootsFirst.pkix(null).getAcceptedIssuers());
        for (X509Certificate root : roots) {
            assertTrue(jdkStore.contains(root), () -> "not in the JDK's trust store: " + root.getSubjectX500Principal());
        }
    }

    @Test
    void aChainToAnAmazonRootIsAcceptedWithoutReadingTheJdkStore() throws Exception {
        AmazonRootsFirst trust = new AmazonRootsFirst(AmazonRootsFirst.pkix(List.of(testCa)), countedJdkStore(testCa));

        trust.checkServerTrusted(chain, "ECDHE_ECDSA");

        assertEquals(0, jdkStoreReads.get());
    }

    @Test
    void aChainToAnotherRootIsCheckedAgainstTheJdkStore() throws Exception {
        AmazonRootsFirst trust = new AmazonRootsFirst(AmazonRootsFirst.pkix(List.of(unrelatedRoot)),
                countedJdkStore(testCa));

        trust.checkServerTrusted(chain, "ECDHE_ECDSA");

        assertEquals(1, jdkStoreReads.get());
    }

    @Test
    void aChainNeitherStoreTrustsIsRefused() {
        AmazonRootsFirst trust = new AmazonRootsFirst(AmazonRootsFirst.pkix(List.of(unrelatedRoot)),
                countedJdkStore(unrelatedRoot));

        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"));
        assertEquals(1, jdkStoreReads.get());
    }

    @Test
    void overHttpsBothChecksKeepTheHostNameCheck() throws Exception {
        for (boolean viaJdkStore : new boolean[] {false, true}) {
            AmazonRootsFirst trust = viaJdkStore
                    ? new AmazonRootsFirst(AmazonRootsFirst.pkix(List.of(unrelatedRoot)), countedJdkStore(testCa))
                    : new AmazonRootsFirst(AmazonRootsFirst.pkix(List.of(testCa)), countedJdkStore(unrelatedRoot));
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            int port = server.getAddress().getPort();

            assertEquals(204, get(client, "https://127.0.0.1:" + port + "/"), "the certificate's own address");
            assertThrows(SSLHandshakeException.class, () -> get(client, "https://localhost:" + port + "/"),
                    "a name the certificate does not carry, via the JDK store: " + viaJdkStore);
        }
    }

    private Supplier<X509ExtendedTrustManager> countedJdkStore(X509Certificate root) {
        X509ExtendedTrustManager manager = AmazonRootsFirst.pkix(List.of(root));
        return () -> {
            jdkStoreReads.incrementAndGet();
            return manager;
        };
    }

    private static int get(SSLContext tls, String url) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) URI.create(url).toURL().openConnection();
        connection.setSSLSocketFactory(tls.getSocketFactory());
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static void keytool(Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), args[0].toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
        for (Object arg : Arrays.asList(args).subList(1, args.length)) {
            command.add(arg.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), () -> command + "\n" + output);
    }
}
