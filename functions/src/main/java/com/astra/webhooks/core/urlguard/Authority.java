package com.astra.webhooks.core.urlguard;

/**
 * The raw authority of a URL split into user-info, host and port by hand, because
 * {@link java.net.URI} gives up on hosts such as {@code 127.1} or {@code bücher.de} (it then
 * reports no host at all) and the guard still has to judge them.
 */
record Authority(String userInfo, String host, String port) {

    boolean hasUserInfo() {
        return userInfo != null;
    }

    static Authority parse(String rawAuthority) throws TargetHost.InvalidHostException {
        if (rawAuthority == null || rawAuthority.isEmpty()) {
            throw new TargetHost.InvalidHostException("url must include a host");
        }
        String userInfo = null;
        String hostPort = rawAuthority;
        int at = rawAuthority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rawAuthority.substring(0, at);
            hostPort = rawAuthority.substring(at + 1);
        }
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new TargetHost.InvalidHostException("url host '" + hostPort + "' is not a valid IPv6 address");
            }
            host = hostPort.substring(0, close + 1);
            String rest = hostPort.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new TargetHost.InvalidHostException("url host '" + hostPort + "' is not a valid IPv6 address");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = hostPort.substring(colon + 1);
            } else {
                host = hostPort;
            }
        }
        if (port != null && !port.isEmpty()) {
            int value = -1;
            if (port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                value = Integer.parseInt(port);
            }
            if (value < 1 || value > 65535) {
                throw new TargetHost.InvalidHostException("url port must be a number from 1 to 65535");
            }
        }
        if (host.isEmpty()) {
            throw new TargetHost.InvalidHostException("url must include a host");
        }
        return new Authority(userInfo, host, port);
    }
}
