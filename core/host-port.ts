/** A `host:port` address, e.g. `api:8000` on the application's network or `127.0.0.1:9090` on loopback. */
export type HostPort = string;
