/**
 * metabench's HTTP/2 frame layer (RFC 9113, HPACK RFC 7541), shared by the native client's
 * transport (`src/client/native/transport/`) and serve's server transport. It knows frames,
 * settings and header compression; streams, flow-control accounting and gRPC live above it.
 */
export * from './constants.ts';
export * from './errors.ts';
export * from './frame-header.ts';
export * from './frame-encode.ts';
export type { FrameHandler } from './frame-handler.ts';
export * from './frame-parser.ts';
export * from './settings.ts';
export * from './hpack.ts';
