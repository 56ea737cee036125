package com.astra.webhooks.core.urlguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every inet_aton spelling of an address is read as that address, and judged alike. */
class Ipv4LiteralPropertiesTest {

    private static String dotted(long v) {
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }

    @Property
    void everySpellingOfAnAddressReadsAsThatAddress(@ForAll int bits) throws Exception {
        long v = bits & 0xffffffffL;
        InetAddress expected = InetAddress.getByName(dotted(v));
        String[] spellings = {
            dotted(v),
            Long.toString(v),
            "0x" + Long.toHexString(v),
            "0" + Long.toOctalString(v),
            (v >>> 24) + "." + (v & 0xffffff),
            (v >>> 24) + "." + (v >>> 16 & 0xff) + "." + (v & 0xffff),
            "0x" + Long.toHexString(v >>> 24) + ".0" + Long.toOctalString(v >>> 16 & 0xff) + "." + (v & 0xffff),
            dotted(v) + ".",
        };
        for (String spelling : spellings) {
            assertTrue(Ipv4Literal.endsInNumber(spelling), spelling);
            assertEquals(expected, Ipv4Literal.parse(spelling).orElseThrow(), spelling);
        }
    }

    @Property
    void guardJudgesEverySpellingLikeTheCanonicalOne(@ForAll int bits) {
        long v = bits & 0xffffffffL;
        TargetGuard guard = new TargetGuard(false, false, host -> {
            throw new java.net.UnknownHostException(host);
        });
        boolean canonicalBlocked = guard.validate("http://" + dotted(v) + "/").orElse("")
                .contains("private, loopback");
        boolean hexBlocked = guard.validate("http://0x" + Long.toHexString(v) + "/").orElse("")
                .contains("private, loopback");
        assertEquals(canonicalBlocked, hexBlocked, dotted(v));
    }
}
