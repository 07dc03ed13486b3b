/**
 * Throttled networks for the start-up benchmark, applied with the DevTools protocol
 * (Network.emulateNetworkConditions on the page's CDP session).
 *
 * How Chromium applies `latency` (services/network/throttling/throttling_network_interceptor.cc):
 * once per request, the response is held until `latency` ms after the request finished sending
 * (`send_end + latency`), then its body is released at `downloadThroughput`. The protocol documents
 * it as "minimum latency from request sent to response headers received". That is a full request →
 * response round trip, not a one-way delay, so for a link with round-trip time RTT:
 *
 *   latency            = RTT (ms)            — one round trip per HTTP request on a warm connection
 *   downloadThroughput = kbps × 1000 / 8     — bytes per second (the protocol's unit), 1 kbps = 1000 bit/s
 *   uploadThroughput   = the same            — requests here are a few hundred bytes either way
 *
 * Halving the RTT (treating latency as one-way) would understate every request by RTT/2. What the
 * emulation does not add: TCP and TLS handshakes (1–2 more RTTs on a new connection in the field)
 * and DNS, since the page talks to 127.0.0.1; our numbers are for a warm connection.
 */

export interface NetworkProfile {
  name: string;
  downKbps: number;
  rttMs: number;
  /** The start-up target for this network, when it has one. */
  target?: { firstFrameMs: number; bytes: number };
}

export const NETWORK_PROFILES: NetworkProfile[] = [
  { name: '700kbps-300ms', downKbps: 700, rttMs: 300, target: { firstFrameMs: 2000, bytes: 200_000 } },
  { name: '1.6Mbps-150ms', downKbps: 1600, rttMs: 150 },
];

export interface CdpNetworkConditions {
  offline: boolean;
  /** ms, added once per request between request sent and response start. */
  latency: number;
  /** bytes per second */
  downloadThroughput: number;
  uploadThroughput: number;
}

export function toCdpConditions(profile: Pick<NetworkProfile, 'downKbps' | 'rttMs'>): CdpNetworkConditions {
  const bytesPerSecond = (profile.downKbps * 1000) / 8;
  return {
    offline: false,
    latency: profile.rttMs,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  };
}
