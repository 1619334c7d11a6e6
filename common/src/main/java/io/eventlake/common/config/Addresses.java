package io.eventlake.common.config;

/** What a configured address or host name tells without resolving it. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * A loopback address or name (localhost, 127.x, ::1, also in brackets): only clients on the same machine reach
     * it. Nothing is resolved: a name that merely points at 127.0.0.1 is not recognised.
     */
    public static boolean isLoopback(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        return a.equalsIgnoreCase("localhost") || a.startsWith("127.") || a.equals("::1")
            || a.equals("0:0:0:0:0:0:0:1");
    }
}
