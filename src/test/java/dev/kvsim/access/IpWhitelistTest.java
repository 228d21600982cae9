package dev.kvsim.access;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whitelist entries (IPv4 addresses and CIDR blocks) and the addresses they admit. */
class IpWhitelistTest {

    private static IpWhitelist of(String... ips) {
        return IpWhitelist.of(List.of(new SecurityIpGroup("default", List.of(ips))));
    }

    @Test
    void aPlainAddressAdmitsThatAddressOnly() {
        IpWhitelist w = of("127.0.0.1");
        assertTrue(w.admits("127.0.0.1"));
        assertFalse(w.admits("127.0.0.2"));
        assertFalse(w.admits("127.0.1.1"));
        assertFalse(w.admits("0.0.0.1"));
    }

    @Test
    void slash32IsOneAddress() {
        IpWhitelist w = of("10.1.2.3/32");
        assertTrue(w.admits("10.1.2.3"));
        assertFalse(w.admits("10.1.2.2"));
        assertFalse(w.admits("10.1.2.4"));
    }

    @Test
    void slash8IsTheFirstOctet() {
        IpWhitelist w = of("10.0.0.0/8");
        assertTrue(w.admits("10.0.0.0"));
        assertTrue(w.admits("10.255.255.255"));
        assertTrue(w.admits("10.128.7.1"));
        assertFalse(w.admits("11.0.0.0"));
        assertFalse(w.admits("9.255.255.255"));
    }

    @Test
    void blocksAtOtherLengthsCutWhereTheirBitsEnd() {
        IpWhitelist w = of("192.168.1.0/24", "172.16.0.0/12", "100.64.0.128/25");
        assertTrue(w.admits("192.168.1.255"));
        assertFalse(w.admits("192.168.2.0"));
        assertTrue(w.admits("172.31.255.255"));
        assertFalse(w.admits("172.32.0.0"));
        assertFalse(w.admits("172.15.255.255"));
        assertTrue(w.admits("100.64.0.128"));
        assertTrue(w.admits("100.64.0.255"));
        assertFalse(w.admits("100.64.0.127"));
    }

    @Test
    void hostBitsInABlockAreIgnored() {
        IpWhitelist w = of("10.1.2.3/8");
        assertTrue(w.admits("10.200.0.1"));
        assertFalse(w.admits("11.1.2.3"));
    }

    @Test
    void zeroSlashZeroAdmitsEveryAddress() {
        IpWhitelist w = of("0.0.0.0/0");
        assertTrue(w.admits("0.0.0.0"));
        assertTrue(w.admits("127.0.0.1"));
        assertTrue(w.admits("255.255.255.255"));
        assertTrue(w.admits("203.0.113.9"));
        // any /0, whatever its address
        assertTrue(of("10.0.0.0/0").admits("192.0.2.1"));
    }

    @Test
    void zeroZeroZeroZeroWithoutAPrefixIsOneAddress() {
        IpWhitelist w = of("0.0.0.0");
        assertFalse(w.admits("127.0.0.1"));
        assertTrue(w.admits("0.0.0.0"));
    }

    @Test
    void anyEntryOfAnyGroupAdmits() {
        IpWhitelist w = IpWhitelist.of(List.of(new SecurityIpGroup("default", List.of("127.0.0.1")),
                new SecurityIpGroup("office", List.of("198.51.100.0/24", "203.0.113.7"))));
        assertTrue(w.admits("127.0.0.1"));
        assertTrue(w.admits("198.51.100.42"));
        assertTrue(w.admits("203.0.113.7"));
        assertFalse(w.admits("203.0.113.8"));
    }

    @Test
    void noEntriesAdmitNobody() {
        assertFalse(IpWhitelist.of(List.of()).admits("127.0.0.1"));
        assertFalse(IpWhitelist.of(List.of(new SecurityIpGroup("empty", List.of()))).admits("127.0.0.1"));
    }

    @Test
    void addressesThatAreNotIpv4AreNotAdmitted() {
        IpWhitelist w = of("0.0.0.0/0");
        assertFalse(w.admits("::1"));
        assertFalse(w.admits("0:0:0:0:0:0:0:1"));
        assertFalse(w.admits("localhost"));
        assertFalse(w.admits(""));
        assertFalse(w.admits(null));
    }

    @Test
    void validEntries() {
        for (String e : List.of("127.0.0.1", "0.0.0.0/0", "10.0.0.0/8", "192.168.1.1/32", "255.255.255.255", "1.2.3.4/9")) {
            assertTrue(IpWhitelist.isValidEntry(e), e);
        }
    }

    @Test
    void invalidEntries() {
        for (String e : List.of("256.0.0.1", "1.2.3.256", "10.0.0.0/33", "10.0.0.0/99", "10.0.0", "10.0.0.0.0", "10.0.0.0/",
                "10.0.0.0/-1", "a.b.c.d", "", " 10.0.0.1", "10.0.0.1 ", "::1", "10.0.0.0/8/8", "1000.0.0.1", "10.0.0.1,10.0.0.2")) {
            assertFalse(IpWhitelist.isValidEntry(e), "'" + e + "'");
        }
        assertFalse(IpWhitelist.isValidEntry(null));
    }
}
