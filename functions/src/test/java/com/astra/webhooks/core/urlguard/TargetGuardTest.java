package com.astra.webhooks.core.urlguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetGuardTest {

    private final FakeResolver dns = new FakeResolver()
            .point("example.com", "93.184.215.14")
            .point("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
            .point("internal.example.com", "10.0.0.5")
            .point("metadata.example.com", "169.254.169.254")
            .point("mixed.example.com", "93.184.215.14", "127.0.0.1")
            .point("v6loop.example.com", "::1");

    private final TargetGuard awsGuard = new TargetGuard(false, true, dns);
    private final TargetGuard strictHttpGuard = new TargetGuard(false, false, dns);
    private final TargetGuard localGuard = new TargetGuard(true, false, dns);

    private static Optional<String> sendTime(TargetGuard guard, String url) {
        return guard.checkAtSendTime(URI.create(url));
    }

    private static void assertRefused(Optional<String> verdict, String url) {
        assertTrue(verdict.isPresent(), "should refuse " + url);
    }

    private static void assertRefusedAsInternal(Optional<String> verdict, String url) {
        assertTrue(verdict.isPresent(), "should refuse " + url);
        assertTrue(verdict.get().contains("private, loopback, link-local or otherwise internal"),
                url + " -> " + verdict.get());
    }

    // --- create/update: address judgement ---------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/", "http://127.0.0.1:8080/hook", "http://127.1/", "http://127.0.1/", "http://0x7f.0.0.1/",
        "http://0x7F.1/", "http://0177.0.0.1/", "http://0177.1/", "http://2130706433/", "http://0x7f000001/",
        "http://017700000001/", "http://127.000.000.001/", "http://127.0.0.1./", "http://127.255.255.254/",
        "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/", "http://[::ffff:0:127.0.0.1]/", "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/", "http://localhost/", "http://LOCALHOST/", "http://LocalHost:3000/",
        "http://localhost./", "http://api.localhost/", "http://ⓛocalhost/", "http://%6c%6fcalhost/",
        "http://%31%32%37.0.0.1/", "http://１２７.０.０.１/", "http://127。0。0。1/", "http://ip6-localhost/",
    })
    void refusesLoopbackInEverySpelling(String url) {
        assertRefusedAsInternal(strictHttpGuard.validate(url), url);
        assertRefused(sendTime(strictHttpGuard, url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://10.0.0.1/", "http://10.255.255.255/", "http://012.0.0.1/", "http://172.16.0.1/",
        "http://172.31.255.255/", "http://192.168.1.1/", "http://192.168.0.1:8443/", "http://[fd00::1]/",
        "http://[fc00::1]/", "http://[fdff:ffff::1]/", "http://169.254.169.254/latest/meta-data/",
        "http://169.254.43518/", "http://0xa9fea9fe/", "http://2852039166/", "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[febf::1]/", "http://100.64.0.1/",
        "http://100.127.255.255/", "http://224.0.0.1/", "http://239.255.255.250/", "http://[ff02::1]/",
        "http://0.0.0.0/", "http://0/", "http://0.1.2.3/", "http://[::]/", "http://[::ffff:0.0.0.0]/",
        "http://255.255.255.255/", "http://240.0.0.1/", "http://198.18.0.1/", "http://192.0.2.1/",
        "http://192.0.0.8/", "http://203.0.113.9/", "http://[2001:db8::1]/", "http://[2001::1]/",
        "http://[::ffff:10.0.0.1]/", "http://[::ffff:a00:1]/", "http://[64:ff9b:1::1]/", "http://[2002:a9fe:a9fe::1]/",
        "http://[100::1]/", "http://[fec0::1]/",
    })
    void refusesPrivateLinkLocalMulticastAndReservedRanges(String url) {
        assertRefusedAsInternal(strictHttpGuard.validate(url), url);
        assertEquals(Optional.of(TargetGuard.BLOCKED), sendTime(strictHttpGuard, url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com/hooks", "https://example.com:8443/hooks?tenant=a&b=c", "https://EXAMPLE.com/",
        "https://example.com./", "https://hooks.example.com/x", "https://8.8.8.8/", "https://1.1.1.1:443/",
        "https://[2606:4700:4700::1111]/", "https://[::ffff:8.8.8.8]/", "https://[2002:808:808::1]/",
        "https://172.15.255.255/", "https://172.32.0.1/", "https://100.63.255.255/", "https://100.128.0.1/",
        "https://11.0.0.1/", "https://169.253.255.255/", "https://192.169.0.1/", "https://223.255.255.255/",
        "https://xn--bcher-kva.example/",
    })
    void allowsPublicTargets(String url) {
        assertEquals(Optional.empty(), awsGuard.validate(url), url);
    }

    @Test
    void refusesNameThatResolvesToAPrivateAddress() {
        Optional<String> verdict = awsGuard.validate("https://internal.example.com/hook");
        assertRefusedAsInternal(verdict, "internal.example.com");
        assertTrue(verdict.get().contains("resolves to") && verdict.get().contains("10.0.0.5"), verdict.get());
        assertRefusedAsInternal(awsGuard.validate("https://metadata.example.com/"), "metadata");
        assertRefusedAsInternal(awsGuard.validate("https://v6loop.example.com/"), "v6loop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1.nip.io", "169.254.169.254.nip.io", "fd00--1.sslip.io", "0.0.0.0.nip.io",
            "100.64.0.1.nip.io", "224.0.0.1.nip.io", "7f000001.rbndr.us"})
    void namesThatSpellAPrivateAddressAreJudgedByWhatTheyResolveTo(String name) {
        String address = name.startsWith("fd00") ? "fd00::1" : name.startsWith("7f") ? "127.0.0.1"
                : name.substring(0, name.indexOf(".nip.io"));
        dns.point(name, address);
        String url = "http://" + name + "/hook";
        Optional<String> verdict = strictHttpGuard.validate(url);
        assertRefusedAsInternal(verdict, url);
        assertTrue(verdict.get().contains("resolves to"), verdict.get());
        assertEquals(Optional.of(TargetGuard.BLOCKED), sendTime(strictHttpGuard, url), url);
        assertEquals(Optional.empty(), sendTime(localGuard, url), "allowed where private targets are");
    }

    @Test
    void refusesNameWhenAnyOfItsAddressesIsPrivate() {
        assertRefusedAsInternal(awsGuard.validate("https://mixed.example.com/"), "mixed");
    }

    @Test
    void allowsNameThatDoesNotResolveYet() {
        // The receiver's DNS may be set up after the webhook; the send-time check covers it.
        assertEquals(Optional.empty(), awsGuard.validate("https://not-yet.example.com/hook"));
        assertTrue(dns.lookups.contains("not-yet.example.com"));
    }

    @Test
    void localhostIsRefusedWithoutAskingDns() {
        awsGuard.validate("https://localhost/");
        awsGuard.validate("https://a.b.localhost/");
        assertEquals(List.of(), dns.lookups);
    }

    // --- create/update: URL shape ----------------------------------------------------------

    @Test
    void requiresAUrl() {
        assertEquals(Optional.of("url is required"), awsGuard.validate(null));
        assertEquals(Optional.of("url is required"), awsGuard.validate(""));
        assertEquals(Optional.of("url is required"), awsGuard.validate("   "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com/hooks", "/hooks", "//example.com/hooks", "hooks"})
    void requiresAnAbsoluteUrl(String url) {
        assertEquals(Optional.of("url must be an absolute http or https URL, such as https://example.com/webhooks"),
                awsGuard.validate(url));
    }

    @Test
    void requiresHttpOrHttpsScheme() {
        assertEquals(Optional.of("url must use http or https, not ftp"), strictHttpGuard.validate("ftp://example.com/"));
        assertEquals(Optional.of("url must use http or https, not file"), strictHttpGuard.validate("file:///etc/passwd"));
        assertTrue(strictHttpGuard.validate("mailto:ops@example.com").isPresent());
        assertTrue(strictHttpGuard.validate("javascript:alert(1)").isPresent());
        assertEquals(Optional.empty(), strictHttpGuard.validate("HTTPS://example.com/"));
    }

    @Test
    void requiresHttpsWhenConfigured() {
        assertEquals(Optional.of("url must use https"), awsGuard.validate("http://example.com/hooks"));
        assertEquals(Optional.empty(), strictHttpGuard.validate("http://example.com/hooks"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:pw@example.com/", "https://user@example.com/", "https://@example.com/",
            "https://example.com@127.0.0.1/"})
    void refusesUserInfo(String url) {
        Optional<String> verdict = localGuard.validate(url);
        assertEquals(Optional.of("url must not contain a user name or password"), verdict, url);
    }

    @Test
    void refusesFragmentButAllowsQuery() {
        assertEquals(Optional.of("url must not contain a fragment (the part after #)"),
                awsGuard.validate("https://example.com/hooks#section"));
        assertEquals(Optional.empty(), awsGuard.validate("https://example.com/hooks?token=abc&x=%20y"));
    }

    @Test
    void acceptsExactly2048CharactersAndNoMore() {
        String base = "https://example.com/";
        String exactly = base + "a".repeat(2048 - base.length());
        assertEquals(Optional.empty(), awsGuard.validate(exactly));
        assertEquals(Optional.of("url must be at most 2048 characters"), awsGuard.validate(exactly + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://exa mple.com/", " https://example.com/", "https://example.com/\n",
            "https://example.com/\u0000", "https://example.com/a\tb"})
    void refusesSpacesAndControlCharacters(String url) {
        assertEquals(Optional.of("url must not contain spaces or control characters"), awsGuard.validate(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com:0/", "https://example.com:65536/", "https://example.com:99999/",
            "https://[2606:4700::1111]:0/"})
    void refusesPortsOutsideTheValidRange(String url) {
        assertEquals(Optional.of("url port must be a number from 1 to 65535"), awsGuard.validate(url), url);
    }

    @Test
    void unparsableUrlsGetAClearMessage() {
        Optional<String> verdict = awsGuard.validate("https://[::1/hooks");
        assertTrue(verdict.orElseThrow().startsWith("url is not a valid URL: "), verdict.get());
        assertTrue(awsGuard.validate("https://example.com/<script>").orElseThrow().startsWith("url is not a valid URL: "));
        assertTrue(awsGuard.validate("https://example.com\\@127.0.0.1/").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///hooks", "https://:443/"})
    void refusesUrlsWithoutHost(String url) {
        assertRefused(localGuard.validate(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://1.2.3.4.5/", "http://256.0.0.1/", "http://1.2.3.256/", "http://1.2.65536/",
            "http://4294967296/", "http://0x100000000/", "http://08.0.0.1/", "http://example.123/"})
    void refusesHostsThatEndInANumberButAreNoIpv4Address(String url) {
        Optional<String> verdict = localGuard.validate(url);
        assertTrue(verdict.orElseThrow().endsWith("is not a valid IPv4 address"), url + " -> " + verdict);
    }

    // --- spellings Java would read differently from browsers: refused even locally ------------

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1/", "http://0177.0.0.1/", "http://2130706433/", "http://0x7f000001/",
            "http://8.8.8.8./", "http://010.8.8.8/"})
    void refusesUnusualIpSpellingsEvenWhenPrivateTargetsAreAllowed(String url) {
        Optional<String> verdict = localGuard.validate(url);
        assertTrue(verdict.orElseThrow().contains("is an unusual spelling of the IP address"), url + " -> " + verdict);
    }

    @Test
    void unusualSpellingMessageSaysHowToWriteIt() {
        assertEquals(Optional.of("url host '0177.0.0.1' is an unusual spelling of the IP address 127.0.0.1;"
                + " write it as 127.0.0.1"), localGuard.validate("http://0177.0.0.1/"));
    }

    @Test
    void refusesInternationalNamesWithAPunycodeHint() {
        assertEquals(Optional.of("url host must be written in ASCII; use its punycode form xn--bcher-kva.example"),
                awsGuard.validate("https://bücher.example/"));
    }

    @Test
    void refusesPercentEncodedHosts() {
        assertEquals(Optional.of("url host must not be percent-encoded; write it as example.com"),
                awsGuard.validate("https://%65xample.com/"));
    }

    @Test
    void refusesHostNamesJavaCannotSendTo() {
        assertTrue(awsGuard.validate("https://a_b.example.com/").orElseThrow().contains("is not a valid host name"));
        assertTrue(awsGuard.validate("https://-a.example.com/").orElseThrow().contains("is not a valid host name"));
        assertTrue(awsGuard.validate("https://" + "a".repeat(64) + ".example.com/").isPresent());
    }

    @Test
    void localSetupAllowsLoopbackAndPrivateTargetsWithoutDns() {
        for (String url : List.of("http://localhost:3000/hooks", "http://127.0.0.1:8080/", "http://[::1]:9000/",
                "http://192.168.1.20/", "http://internal.example.com/", "http://host.docker.internal/")) {
            assertEquals(Optional.empty(), localGuard.validate(url), url);
        }
        assertEquals(List.of(), dns.lookups, "create-time DNS is only needed to refuse private targets");
    }

    // --- send time -------------------------------------------------------------------------

    @Test
    void sendTimeCheckCatchesDnsThatChangedAfterCreation() {
        String url = "https://rebind.example.com/hook";
        dns.point("rebind.example.com", "93.184.215.14");
        assertEquals(Optional.empty(), awsGuard.validate(url));
        assertEquals(Optional.empty(), awsGuard.checkAtSendTime(URI.create(url)));

        dns.point("rebind.example.com", "127.0.0.1");

        assertEquals(Optional.of("blocked: private address"), awsGuard.checkAtSendTime(URI.create(url)));
    }

    @Test
    void sendTimeCheckBlocksWhenAnyAddressIsPrivate() {
        assertEquals(Optional.of("blocked: private address"),
                awsGuard.checkAtSendTime(URI.create("https://mixed.example.com/")));
    }

    @Test
    void sendTimeCheckReportsUnresolvableNames() {
        assertEquals(Optional.of("dns lookup failed: nowhere.invalid"),
                awsGuard.checkAtSendTime(URI.create("https://nowhere.invalid/hook")));
        assertEquals(Optional.of("dns lookup failed: nowhere.invalid"),
                localGuard.checkAtSendTime(URI.create("http://nowhere.invalid/hook")));
    }

    @Test
    void sendTimeCheckPassesPublicTargets() {
        assertEquals(Optional.empty(), awsGuard.checkAtSendTime(URI.create("https://hooks.example.com/x")));
        assertEquals(Optional.empty(), awsGuard.checkAtSendTime(URI.create("https://8.8.8.8/x")));
    }

    @Test
    void sendTimeCheckAllowsLoopbackLocally() {
        assertEquals(Optional.empty(), localGuard.checkAtSendTime(URI.create("http://127.0.0.1:8080/x")));
        assertEquals(Optional.empty(), localGuard.checkAtSendTime(URI.create("http://[::1]:8080/x")));
    }

    @Test
    void sendTimeCheckBlocksLiteralsWithoutDns() {
        assertEquals(Optional.of("blocked: private address"),
                awsGuard.checkAtSendTime(URI.create("http://169.254.169.254/latest/meta-data/")));
        assertEquals(Optional.of("blocked: private address"), awsGuard.checkAtSendTime(URI.create("http://localhost/")));
        assertEquals(List.of(), dns.lookups);
    }

    @Test
    void sendTimeCheckBlocksEitherReadingOfAnAmbiguousAddress() {
        // inet_aton reads 010.0.0.1 as 8.0.0.1, Java as 10.0.0.1: the private reading wins.
        assertEquals(Optional.of("blocked: private address"), awsGuard.checkAtSendTime(URI.create("http://010.0.0.1/")));
        // and 0177.0.0.1 the other way round: curl reads 127.0.0.1, Java 177.0.0.1.
        assertEquals(Optional.of("blocked: private address"), awsGuard.checkAtSendTime(URI.create("http://0177.0.0.1/")));
    }

    @Test
    void sendTimeCheckRefusesUrlsWithoutHost() {
        assertEquals(Optional.of("invalid url: no host"), awsGuard.checkAtSendTime(URI.create("file:///etc/passwd")));
        assertEquals(Optional.of("invalid url: no host"), awsGuard.checkAtSendTime(null));
    }
}
