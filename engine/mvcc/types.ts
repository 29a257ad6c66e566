/**
 * The etcd v3 data model as MetaStore-TS holds it. Field names follow the camelCase shape that
 * `@grpc/proto-loader` gives etcd's protos (`keepCase: false`, `longs: Number`, `enums: String`),
 * so the gRPC layer passes requests and responses through without copying.
 *
 * Revisions and lease IDs are plain numbers: exact up to 2^53, which a single member never
 * reaches (it would take 285 years at a million writes per second).
 */

/** One version of one key. */
export interface KeyValue {
  key: Buffer;
  /** Revision of the Put that created this generation of the key. */
  createRevision: number;
  /** Revision of the last modification. */
  modRevision: number;
  /** Number of modifications since creation (1 for a fresh key); reset by delete. */
  version: number;
  value: Buffer;
  /** Lease ID attached to the key, 0 for none. */
  lease: number;
}

/** A position in the history: `main` is the transaction's revision, `sub` the change within it. */
export interface Revision {
  main: number;
  sub: number;
}

export interface ResponseHeader {
  clusterId: number;
  memberId: number;
  /** The store's revision when the request was answered. */
  revision: number;
  raftTerm: number;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

/**
 * Range over keys. `rangeEnd` empty: the single key `key`; `rangeEnd` = `\0` with `key` = `\0`:
 * every key; `rangeEnd` = `\0`: every key >= `key` (from-key); otherwise `[key, rangeEnd)`.
 */
export interface RangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  /** Maximum number of keys returned, 0 = no limit. */
  limit?: number;
  /** Read the store as of this revision, 0 = current. */
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  /** True when `limit` cut the result short. */
  more: boolean;
  /** Number of keys in the range (before `limit`). */
  count: number;
}

export interface PutRequest {
  key: Buffer;
  value?: Buffer;
  lease?: number;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE';

export interface Compare {
  result: CompareResult;
  target: CompareTarget;
  key: Buffer;
  rangeEnd?: Buffer;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  value?: Buffer;
  lease?: number;
}

/** One operation of a Txn branch: exactly one of the fields is set. */
export interface RequestOp {
  requestRange?: RangeRequest;
  requestPut?: PutRequest;
  requestDeleteRange?: DeleteRangeRequest;
  requestTxn?: TxnRequest;
}

export interface ResponseOp {
  responseRange?: RangeResponse;
  responsePut?: PutResponse;
  responseDeleteRange?: DeleteRangeResponse;
  responseTxn?: TxnResponse;
}

export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionRequest {
  revision: number;
  /** Wait until the compaction has been applied physically before answering. */
  physical?: boolean;
}

export interface CompactionResponse {
  header: ResponseHeader;
}

export type EventType = 'PUT' | 'DELETE';

/** A change as watchers see it. A DELETE's `kv` carries the key and the deletion's modRevision. */
export interface MvccEvent {
  type: EventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

export type WatchFilter = 'NOPUT' | 'NODELETE';

export interface WatchCreateRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  /** First revision to deliver (replayed from history), 0 = from the next write on. */
  startRevision?: number;
  progressNotify?: boolean;
  filters?: WatchFilter[];
  prevKv?: boolean;
}

/** What a watcher is told: events (in revision order), or that it was cancelled/compacted. */
export interface WatchNotification {
  header: ResponseHeader;
  events: MvccEvent[];
  /** Set when the start revision had been compacted: the watch is cancelled. */
  compactRevision?: number;
  canceled?: boolean;
  cancelReason?: string;
}

export interface LeaseGrantResponse {
  header: ResponseHeader;
  id: number;
  /** Granted time-to-live in seconds. */
  ttl: number;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  id: number;
  /** Remaining seconds, -1 when the lease has expired or does not exist. */
  ttl: number;
  grantedTtl: number;
  keys: Buffer[];
}

export interface LeaseStatus {
  id: number;
}

/** What `Maintenance.Status` and the dashboard report about a store. */
export interface StoreStatus {
  header: ResponseHeader;
  version: string;
  /** On-disk size of the engine's data in bytes. */
  dbSize: number;
  /** Bytes in use (equal to dbSize where the engine cannot tell). */
  dbSizeInUse: number;
  compactRevision: number;
  /** Number of live keys. */
  keyCount: number;
  engine: 'memory' | 'rocksdb';
}
