// gRPC's readiness errors as users read them: one line, no dangling "Resolution note", no
// "waiting for name resolution" for a server that accepted the connection and went silent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeUnreachable } from './unreachable.ts';

describe('describeUnreachable', () => {
  const cases: [string, string][] = [
    ['14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:46561. Resolution note: ', 'connection refused at 127.0.0.1:46561 (nothing listens there)'],
    ['4 DEADLINE_EXCEEDED: Deadline exceeded after 0.000s,waiting for name resolution', 'no answer to an etcd Status request: the server accepts connections but does not answer (not an etcd v3 endpoint, or stalled)'],
    ['connect 127.0.0.1:36553: FRAME_SIZE_ERROR: frame of 4740180 octets exceeds SETTINGS_MAX_FRAME_SIZE 16384', 'the server does not speak gRPC over HTTP/2: not an etcd v3 endpoint'],
    ['connect 127.0.0.1:34069: no HTTP/2 connection within 2000 ms', 'no answer to an etcd Status request: the server accepts connections but does not answer (not an etcd v3 endpoint, or stalled)'],
    ['cannot connect to 127.0.0.1:37479: no HTTP/2 SETTINGS within 2000 ms', 'no answer to an etcd Status request: the server accepts connections but does not answer (not an etcd v3 endpoint, or stalled)'],
    ['14 UNAVAILABLE: No connection established. Last error: Protocol error (2026-12-01T21:01:32.220Z). Resolution note: ', 'the server does not speak gRPC over HTTP/2: not an etcd v3 endpoint'],
    ['14 UNAVAILABLE: Name resolution failed for target dns:nohost.invalid:2379: getaddrinfo ENOTFOUND nohost.invalid', 'host not found: nohost.invalid (ENOTFOUND)'],
    ['12 UNIMPLEMENTED: unknown service etcdserverpb.Maintenance', 'the server speaks gRPC but has no etcd Maintenance service: not an etcd v3 endpoint'],
    // The native client's messages.
    ['cannot connect to 127.0.0.1:37247: connect ECONNREFUSED 127.0.0.1:37247', 'connection refused at 127.0.0.1:37247 (nothing listens there)'],
    ['cannot connect to 127.0.0.1:45187: no HTTP/2 SETTINGS within 2000 ms', 'no answer to an etcd Status request: the server accepts connections but does not answer (not an etcd v3 endpoint, or stalled)'],
    ['cannot connect to 127.0.0.1:44145: Protocol error', 'the server does not speak gRPC over HTTP/2: not an etcd v3 endpoint'],
    ['13 INTERNAL: something odd (2026-12-01T21:01:32.220Z). Resolution note: ', 'something odd'],
  ];
  for (const [detail, want] of cases) {
    it(want, () => assert.equal(describeUnreachable(detail), want));
  }
});
