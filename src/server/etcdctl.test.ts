/**
 * Debian's etcdctl (3.4) against `metabench serve`, started as a real child process, once per
 * engine. Expected outputs are what etcdctl prints against etcd 3.4.23 for the same commands
 * (revisions, IDs and sizes aside): `METABENCH_TEST_REAL_ETCD=1` runs this suite against the
 * real etcd instead, to check the expectations themselves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { spawnEtcd, spawnServe, type ServerChild } from './processes.ts';
import { ENGINES, ctlLines, ctlOk, etcdctl, tempDir } from './test-support.ts';

interface JsonHeader {
  header: { revision: number; member_id: number; cluster_id: number };
}

const REAL_ETCD = process.env.METABENCH_TEST_REAL_ETCD === '1';

// One suite per engine, each with its own server: run them side by side.
describe('etcdctl', { concurrency: true }, () => {
  for (const engine of REAL_ETCD ? ['etcd'] : ENGINES) {
    describe(`etcdctl against ${REAL_ETCD ? 'the real etcd' : `metabench serve --engine ${engine}`}`, { concurrency: 1 }, () => {
      let server: ServerChild;
      let dir: Awaited<ReturnType<typeof tempDir>>;
      let addr: string;
      const ctl = (...args: string[]) => ctlOk(addr, ...args);
      const revOf = async (...args: string[]) => (JSON.parse(await ctl(...args, '-w', 'json')) as JsonHeader).header.revision;

      before(async () => {
        dir = await tempDir(`etcdctl-${engine}`);
        const dataDir = join(dir.path, 'data');
        server = REAL_ETCD ? await spawnEtcd(dataDir) : await spawnServe({ engine, dataDir });
        addr = server.address;
      });
      after(async () => {
        const status = await server?.stop();
        await dir?.remove();
        if (!REAL_ETCD) assert.deepEqual(status, { exitCode: 0, signal: undefined }, server?.stderr());
      });

      it('put and get: single key, --prefix, --from-key, --limit, --keys-only, --sort-by, --order', async () => {
        for (const [k, v] of [['/g/a', '1'], ['/g/b', '2'], ['/g/c', '3'], ['/g/a', '11']]) assert.equal(await ctl('put', k, v), 'OK');
        assert.equal(await ctl('get', '/g/a'), '/g/a\n11');
        assert.equal(await ctl('get', '--prefix', '/g/'), '/g/a\n11\n/g/b\n2\n/g/c\n3');
        assert.equal(await ctl('get', '/g/b', '--from-key', '--limit', '2'), '/g/b\n2\n/g/c\n3');
        assert.equal(await ctl('get', '--prefix', '/g/', '--keys-only'), '/g/a\n\n/g/b\n\n/g/c\n');
        assert.equal(await ctl('get', '--prefix', '/g/', '--sort-by=VALUE', '--order=DESCEND'), '/g/c\n3\n/g/b\n2\n/g/a\n11');
        assert.equal(await ctl('get', '--prefix', '/g/', '--sort-by=KEY', '--order=DESCEND', '--limit', '1'), '/g/c\n3');
        assert.equal(await ctl('get', '/g/missing'), '');
      });

      it('get -w json carries the header, count and more; --rev reads history', async () => {
        const r = JSON.parse(await ctl('get', '--prefix', '/g/', '--limit', '1', '-w', 'json')) as JsonHeader & {
          kvs: { key: string; value: string; create_revision: number; mod_revision: number; version: number }[];
          count: number;
          more: boolean;
        };
        assert.ok(r.header.revision >= 5 && r.header.member_id > 0 && r.header.cluster_id > 0, JSON.stringify(r.header));
        assert.equal(r.count, 3);
        assert.equal(r.more, true);
        assert.equal(r.kvs.length, 1);
        const kv = r.kvs[0];
        assert.equal(Buffer.from(kv.key, 'base64').toString(), '/g/a');
        assert.equal(Buffer.from(kv.value, 'base64').toString(), '11');
        assert.equal(kv.version, 2);
        assert.ok(kv.mod_revision > kv.create_revision);
        assert.equal(await ctl('get', '/g/a', `--rev=${kv.create_revision}`), '/g/a\n1');
        assert.equal(await ctl('get', '/g/a', `--rev=${kv.mod_revision}`), '/g/a\n11');
        const future = await etcdctl(addr, ['get', '/g/a', `--rev=${r.header.revision + 1000}`]);
        assert.notEqual(future.exitCode, 0);
        assert.match(future.stderr, /etcdserver: mvcc: required revision is a future revision/);
      });

      it('del --prev-kv and --prefix', async () => {
        for (const k of ['a', 'b', 'c']) await ctl('put', `/d/${k}`, `v${k}`);
        assert.equal(await ctl('del', '/d/b', '--prev-kv'), '1\n/d/b\nvb');
        assert.equal(await ctl('del', '--prefix', '/d/'), '2');
        assert.equal(await ctl('del', '/d/a'), '0');
        assert.equal(await ctl('get', '--prefix', '/d/'), '');
      });

      it('an empty key is refused with etcd\'s message', async () => {
        const r = await etcdctl(addr, ['get', '']);
        assert.equal(r.exitCode, 1);
        assert.match(r.stderr, /Error: etcdserver: key is not provided/);
      });

      it('txn from stdin: success and failure branches', async () => {
        await ctl('put', '/t/x', '1');
        const ok = await etcdctl(addr, ['txn'], 'value("/t/x") = "1"\n\nput /t/x 2\nput /t/y 9\n\nput /t/x 0\n\n');
        assert.equal(ok.stdout, 'SUCCESS\n\nOK\n\nOK');
        assert.equal(await ctl('get', '--prefix', '/t/'), '/t/x\n2\n/t/y\n9');
        const failed = await etcdctl(addr, ['txn'], 'value("/t/x") = "nope"\n\nput /t/x 3\n\nget /t/x\n\n');
        assert.equal(failed.stdout, 'FAILURE\n\n/t/x\n2');
        const byVersion = await etcdctl(addr, ['txn'], 'version("/t/new") = "0"\n\nput /t/new fresh\n\n\n');
        assert.equal(byVersion.stdout, 'SUCCESS\n\nOK');
      });

      it('watch --prefix --rev replays history, then streams live events', async () => {
        const start = await revOf('put', '/w/a', '1');
        await ctl('put', '/w/a', '2');
        await ctl('del', '/w/a');
        const watch = ctlLines(addr, ['watch', '--prefix', '/w/', `--rev=${start}`], 12);
        // Replayed events come first; a live put follows once the watch is established.
        setTimeout(() => void ctl('put', '/w/b', '3'), 1500);
        assert.deepEqual(await watch, ['PUT', '/w/a', '1', 'PUT', '/w/a', '2', 'DELETE', '/w/a', '', 'PUT', '/w/b', '3']);
      });

      it('lease grant, put --lease, timetolive, keep-alive --once, list, revoke', async () => {
        const granted = await ctl('lease', 'grant', '60');
        const m = /^lease ([0-9a-f]+) granted with TTL\(60s\)$/.exec(granted);
        assert.ok(m, granted);
        const id = m[1];
        assert.equal(await ctl('put', `--lease=${id}`, '/l/k', 'v'), 'OK');
        assert.match(await ctl('lease', 'timetolive', id), new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\((59|60)s\\)$`));
        assert.match(
          await ctl('lease', 'timetolive', id, '--keys'),
          new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\((59|60)s\\), attached keys\\(\\[/l/k\\]\\)$`),
        );
        assert.equal(await ctl('lease', 'keep-alive', '--once', id), `lease ${id} keepalived with TTL(60)`);
        assert.match(await ctl('lease', 'list'), new RegExp(`^found \\d+ leases\\n(.*\\n)*${id}`));
        assert.equal(await ctl('lease', 'revoke', id), `lease ${id} revoked`);
        assert.equal(await ctl('get', '/l/k'), '');
        assert.equal(await ctl('lease', 'timetolive', id), `lease ${id} already expired`);
        const gone = await etcdctl(addr, ['lease', 'keep-alive', '--once', id]);
        assert.notEqual(gone.exitCode, 0);
        assert.match(gone.stderr, /etcdserver: requested lease not found/);
      });

      it('endpoint status, endpoint health, member list', async () => {
        const port = addr.split(':')[1];
        const status = await ctl('endpoint', 'status');
        assert.match(status, new RegExp(`^127\\.0\\.0\\.1:${port}, [0-9a-f]+, \\d+\\.\\d+\\.\\d+, \\d+(\\.\\d+)? [kMG]?B, true, false, \\d+, \\d+, \\d+, $`));
        const [json] = JSON.parse(await ctl('endpoint', 'status', '-w', 'json')) as { Endpoint: string; Status: { leader: number; header: { member_id: number }; dbSize: number } }[];
        assert.equal(json.Endpoint, addr);
        assert.equal(json.Status.leader, json.Status.header.member_id);
        // etcdctl 3.4 prints the health line on stderr.
        const health = await etcdctl(addr, ['endpoint', 'health']);
        assert.equal(health.exitCode, 0);
        assert.match(health.stderr, new RegExp(`^127\\.0\\.0\\.1:${port} is healthy: successfully committed proposal: took = `, 'm'));
        assert.match(await ctl('member', 'list'), new RegExp(`^[0-9a-f]+, started, ${REAL_ETCD ? 'default, [^,]+' : 'metastore-ts, '}, http://127\\.0\\.0\\.1:${port}, false$`));
        assert.match(await ctl('endpoint', 'hashkv'), new RegExp(`^127\\.0\\.0\\.1:${port}, \\d+$`));
        assert.equal(await ctl('alarm', 'list'), '');
        assert.equal(await ctl('defrag'), `Finished defragmenting etcd member[${addr}]`);
      });

      // Last: compaction makes older revisions unreadable for the tests above.
      it('compaction: old revisions refuse reads and watches, latest values stay', async () => {
        const first = await revOf('put', '/c/k', 'v1');
        const second = await revOf('put', '/c/k', 'v2');
        assert.equal(await ctl('compaction', String(second)), `compacted revision ${second}`);
        const old = await etcdctl(addr, ['get', '/c/k', `--rev=${first}`]);
        assert.equal(old.exitCode, 1);
        assert.match(old.stderr, /Error: etcdserver: mvcc: required revision has been compacted/);
        assert.equal(await ctl('get', '/c/k'), '/c/k\nv2');
        const watch = await etcdctl(addr, ['watch', '/c/k', `--rev=${first}`]);
        assert.notEqual(watch.exitCode, 0);
        assert.match(watch.stderr, /watch was canceled \(etcdserver: mvcc: required revision has been compacted\)/);
      });
    });
  }
});
