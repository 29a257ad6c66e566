/**
 * The frame of serve's hardening suites (`../hardening*.test.ts`): for each transport under test
 * (`METABENCH_HARDENING_TRANSPORTS`, default all three: raw, h2, grpc-js) one `metabench serve`
 * in its own process, a well-behaved grpc-js client beside the hostile ones, and the two checks
 * every case ends with: serve still answers that client (a Put then a Range of the same key) and
 * its RSS rose by less than a slack during the case. Idle and handshake timeouts are shortened
 * through `METABENCH_SERVE_IDLE_TIMEOUT_MS` so the timeout cases take a second, not minutes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { rssBytes, spawnServe, type ServerChild } from '../processes.ts';
import { loadEtcdServices } from '../proto.ts';
import { tempDir } from '../test-support.ts';
import type { RawPeer } from './raw-peer.ts';

/** How far RSS may rise during one case before we call it unbounded. */
const RSS_SLACK_BYTES = 96 * 1024 * 1024;
/** The transports under test: every one serve can run on. */
const TRANSPORTS = (process.env.METABENCH_HARDENING_TRANSPORTS ?? 'raw,h2,grpc-js').split(',');
/** serve's idle (and handshake) timeout in these suites, ms. */
export const IDLE_MS = 1000;

type Cb = (err: ServiceError | null, res?: { kvs?: { value: Buffer }[]; header?: { revision: number } }) => void;
/** The grpc-js KV client the cases use beside their hostile peers. */
export type KvClient = { Put(req: object, opts: object, cb: Cb): void; Range(req: object, opts: object, cb: Cb): void; Compact(req: object, cb: (err: ServiceError | null) => void): void; close(): void };

/** What a case gets: the server, the good client, and the checks. */
export interface Hardening {
  readonly transport: string;
  /**
   * The protocol answers (connection closed, GOAWAY codes) are asserted on the raw transport;
   * node:http2 and grpc-js (nghttp2) ignore some violations instead, so there only survival counts.
   */
  readonly strict: boolean;
  server(): ServerChild;
  client(): KvClient;
  /** Another client still gets answers: a Put then a Range of the same key. */
  stillAnswers(): Promise<void>;
  /** Runs `play`, then checks serve answers and its RSS rose by less than the slack. */
  survives(play: () => Promise<void>): Promise<void>;
  /** The server closes `peer` (asserted when strict or `always`, else waited for a second); then `peer` is destroyed. */
  expectClosed(peer: RawPeer, what: string, always?: boolean): Promise<void>;
}

/** `describe`s `body` once per transport under test, each against its own serve. */
export function describeHardening(title: string, body: (h: Hardening) => void): void {
  for (const transport of TRANSPORTS) {
    describe(`${title} (transport ${transport})`, { concurrency: 1 }, () => {
      let server: ServerChild;
      let dir: Awaited<ReturnType<typeof tempDir>>;
      let client: KvClient;
      let round = 0;
      const strict = transport === 'raw';

      const h: Hardening = {
        transport,
        strict,
        server: () => server,
        client: () => client,
        async stillAnswers() {
          const key = `/h/${round++}`;
          const call = (m: 'Put' | 'Range', req: object) =>
            new Promise<{ kvs?: { value: Buffer }[] }>((resolve, reject) => client[m](req, { deadline: Date.now() + 15_000 }, (err, res) => (err ? reject(err) : resolve(res ?? {}))));
          await call('Put', { key: Buffer.from(key), value: Buffer.from('v') });
          const got = await call('Range', { key: Buffer.from(key) });
          assert.equal(got.kvs?.[0]?.value.toString(), 'v', 'serve answers another client after the case');
        },
        async survives(play) {
          const before = rssBytes(server.pid);
          await play();
          await h.stillAnswers();
          const grew = rssBytes(server.pid) - before;
          assert.ok(grew < RSS_SLACK_BYTES, `RSS grew by ${(grew / 1048576).toFixed(0)} MiB during the case`);
        },
        async expectClosed(peer, what, always = false) {
          if (strict || always) assert.equal(await peer.waitClosed(), true, `${what}: the server closes the connection`);
          else await peer.waitClosed(1000);
          peer.destroy();
        },
      };

      before(async () => {
        dir = await tempDir(`hardening-${transport}`);
        server = await spawnServe({
          engine: 'memory',
          dataDir: join(dir.path, 'data'),
          args: ['--sync', 'none'],
          env: { METABENCH_SERVE_TRANSPORT: transport, METABENCH_SERVE_IDLE_TIMEOUT_MS: String(IDLE_MS) },
        });
        const Ctor = makeGenericClientConstructor(loadEtcdServices().KV, 'KV');
        client = new Ctor(server.address, credentials.createInsecure(), { 'grpc.keepalive_time_ms': 600_000 }) as unknown as KvClient;
        await h.stillAnswers();
      });
      after(async () => {
        client?.close();
        const status = await server?.stop();
        await dir?.remove();
        assert.deepEqual(status, { exitCode: 0, signal: undefined }, server?.stderr());
      });

      body(h);
    });
  }
}
