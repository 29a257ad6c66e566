/**
 * The native client's transport: gRPC over HTTP/2 written directly on a `net.Socket` or
 * `tls.TLSSocket` (frames from `src/h2/`). `openH2Channel` implements the `OpenChannel` seam
 * of `../channel.ts`; `openH2ChannelWith` takes transport options (keepalive, limits).
 */
export { H2Channel, openH2Channel, openH2ChannelWith, type H2ChannelOptions } from './h2-channel.ts';
