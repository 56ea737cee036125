package com.astra.webhooks.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Server trust for the SDK clients: a chain is checked against the Amazon Trust Services roots
 * first, and against the JDK's whole trust store only when that fails. It accepts what the JDK's
 * store accepts: the roots are copies of certificates in it (AmazonRootsFirstTest holds them to
 * the build JDK's store), and both checks are the JDK's own PKIX trust manager, with its
 * algorithm constraints, host name check and distrust policies. What it saves is a cold start
 * loading and parsing the store's ~140 certificates when every endpoint the client talks to
 * chains to an Amazon root (20-30 ms of CPU before a first response, docs/cold-start.md).
 */
public final class AmazonRootsFirst extends X509ExtendedTrustManager {

    /** Amazon Root CA 1-4 and the Starfield Services root that cross-signs them. */
    static final String ROOTS = "amazon-trust-services-roots.pem";

    private static final AmazonRootsFirst INSTANCE = new AmazonRootsFirst(pkix(amazonRoots()), JdkStore::trust);

    private final X509ExtendedTrustManager amazon;
    private final Supplier<X509ExtendedTrustManager> jdkStore;

    AmazonRootsFirst(X509ExtendedTrustManager amazon, Supplier<X509ExtendedTrustManager> jdkStore) {
        this.amazon = amazon;
        this.jdkStore = jdkStore;
    }

    /** Shared by every SDK client of the container, so the full store is loaded at most once. */
    public static TrustManager[] trustManagers() {
        return new TrustManager[] {INSTANCE};
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        amazonFirst(trust -> trust.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        amazonFirst(trust -> trust.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        amazonFirst(trust -> trust.checkServerTrusted(chain, authType));
    }

    private interface Check {
        void against(X509ExtendedTrustManager trust) throws CertificateException;
    }

    private void amazonFirst(Check check) throws CertificateException {
        try {
            check.against(amazon);
        } catch (CertificateException notAnAmazonChain) {
            check.against(jdkStore.get());
        }
    }

    // A client never checks client certificates; these keep the JDK store's answer all the same.
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdkStore.get().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        jdkStore.get().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdkStore.get().checkClientTrusted(chain, authType);
    }

    /** The JDK store's issuers, which include the Amazon roots. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdkStore.get().getAcceptedIssuers();
    }

    /** Loaded on first use only: the holder class is initialised when a chain is not Amazon's. */
    private static final class JdkStore {
        private static final X509ExtendedTrustManager TRUST = pkix(null);

        static X509ExtendedTrustManager trust() {
            return TRUST;
        }
    }

    static List<X509Certificate> amazonRoots() {
        try (InputStream in = AmazonRootsFirst.class.getResourceAsStream(ROOTS)) {
            if (in == null) {
                throw new IllegalStateException(ROOTS + " is missing from the jar");
            }
            // read whole: the PEM parser reads byte by byte, a system call each from a stored jar entry
            Collection<? extends Certificate> roots = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(in.readAllBytes()));
            List<X509Certificate> x509 = new ArrayList<>(roots.size());
            for (Certificate root : roots) {
                x509.add((X509Certificate) root);
            }
            return List.copyOf(x509);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(ROOTS + " does not parse", e);
        }
    }

    /** The JDK's PKIX trust manager over these roots; null: over the JDK's own trust store. */
    static X509ExtendedTrustManager pkix(List<X509Certificate> roots) {
        try {
            KeyStore store = null;
            if (roots != null) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (Certificate root : roots) {
                    store.setCertificateEntry("root-" + store.size(), root);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK gave no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }
}
