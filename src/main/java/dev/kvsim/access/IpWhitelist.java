package dev.kvsim.access;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The union of an instance's whitelist groups, compiled for the proxy's check on every new connection. */
public final class IpWhitelist {

    private static final Pattern ENTRY = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/(\\d{1,2}))?");

    /** Network and mask of each entry, as unsigned 32-bit values. */
    private final long[] networks;
    private final long[] masks;

    private IpWhitelist(long[] networks, long[] masks) {
        this.networks = networks;
        this.masks = masks;
    }

    public static IpWhitelist of(List<SecurityIpGroup> groups) {
        List<long[]> entries = new ArrayList<>();
        for (SecurityIpGroup g : groups) {
            for (String ip : g.ips()) {
                entries.add(parse(ip));
            }
        }
        long[] nets = new long[entries.size()];
        long[] masks = new long[entries.size()];
        for (int i = 0; i < nets.length; i++) {
            nets[i] = entries.get(i)[0];
            masks[i] = entries.get(i)[1];
        }
        return new IpWhitelist(nets, masks);
    }

    /** Whether a client at this address (a dotted IPv4 literal) may connect. */
    public boolean admits(String address) {
        long a;
        try {
            a = parse(address)[0];
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (int i = 0; i < networks.length; i++) {
            if ((a & masks[i]) == networks[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the entry is an IPv4 address or CIDR block, e.g. 10.0.0.0/8. */
    public static boolean isValidEntry(String entry) {
        try {
            parse(entry);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return {network, mask} */
    private static long[] parse(String entry) {
        var m = ENTRY.matcher(entry == null ? "" : entry);
        if (!m.matches()) {
            throw new IllegalArgumentException(entry);
        }
        long addr = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException(entry);
            }
            addr = (addr << 8) | octet;
        }
        int prefix = m.group(6) == null ? 32 : Integer.parseInt(m.group(6));
        if (prefix > 32) {
            throw new IllegalArgumentException(entry);
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return new long[] {addr & mask, mask};
    }
}
