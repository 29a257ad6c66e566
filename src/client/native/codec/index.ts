/**
 * Hand-written protobuf codec of the etcd v3 messages the native client sends and receives,
 * checked against etcd's `.proto` files by `requests.test.ts`, `responses.test.ts` and
 * `malformed.test.ts`: protobufjs, loaded from the etcd3 package's protos, decodes our bytes
 * and encodes bytes for our decoders.
 */
export { ProtoWriter, WireType } from '../../../proto-wire/writer.ts';
export { ProtoReader, ProtoDecodeError } from '../../../proto-wire/reader.ts';
export { encodeRange, encodePut, encodeDelete, encodeTxn, encodeCompaction } from './kv-encode.ts';
export { decodeRange, decodePut, decodeDelete, decodeTxn, decodeHeaderOnly, readHeader, readKeyValue } from './kv-decode.ts';
export { encodeWatchCreate, encodeWatchCancel, encodeWatchProgress, decodeWatchResponse, type WatchResponseMsg } from './watch-codec.ts';
export { encodeLeaseGrant, encodeLeaseId, encodeLeaseTimeToLive, decodeLeaseResponse, decodeLeaseTimeToLive, type LeaseResponseMsg } from './lease-codec.ts';
export { EMPTY_REQUEST, decodeStatus, encodeAuthenticate, decodeAuthenticate } from './maintenance-codec.ts';
