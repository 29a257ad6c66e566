/**
 * The frame parser on byte streams cut every way: whole, split at every octet, padded frames,
 * header blocks over CONTINUATION, unknown types, and each protocol error it must report as a
 * connection error with RFC 9113's code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_PREFACE, ErrorCode, Flag, FrameType } from './constants.ts';
import { H2Error } from './errors.ts';
import { encodeDataFrame, encodeFrame, encodeGoaway, encodeHeaderFrames, encodePing, encodePriority, encodePushPromise, encodeRstStream, encodeWindowUpdate } from './frame-encode.ts';
import { FrameParser, type FrameParserOptions } from './frame-parser.ts';
import { encodeSettingsFrame, SETTINGS_ACK_FRAME } from './settings.ts';
import { RecordingHandler, type Recorded } from './test-handler.ts';

const SETTINGS = encodeSettingsFrame({ maxConcurrentStreams: 100, initialWindowSize: 1 << 20 });

/** Parses `bytes` fed in pieces of `step` octets (Infinity: one piece). */
function parse(bytes: Buffer, step = Infinity, opts?: FrameParserOptions): Recorded[] {
  const h = new RecordingHandler();
  const p = new FrameParser(h, opts);
  for (let at = 0; at < bytes.length; at += step) p.push(bytes.subarray(at, Math.min(bytes.length, at + step)));
  return h.frames;
}

/** The connection error parsing `bytes` raises. */
function parseError(bytes: Buffer, opts?: FrameParserOptions): H2Error {
  let caught: unknown;
  try {
    parse(bytes, Infinity, opts);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof H2Error, `expected an H2Error, got ${String(caught)}`);
  assert.equal(caught.streamId, 0);
  return caught;
}

const block = Buffer.from('82868441', 'hex');

describe('FrameParser', () => {
  const stream = Buffer.concat([
    SETTINGS,
    SETTINGS_ACK_FRAME,
    encodeHeaderFrames(1, block),
    encodeDataFrame(1, Buffer.from('hello'), false),
    encodeDataFrame(1, Buffer.from('padded'), true, 7),
    encodeRstStream(3, ErrorCode.CANCEL),
    encodePing(Buffer.from('01234567')),
    encodePing(Buffer.from('abcdefgh'), true),
    encodeWindowUpdate(0, 1000),
    encodeWindowUpdate(5, 7),
    encodePriority(7, 1, true, 15),
    encodeFrame(0xfa, 0xff, 9, Buffer.from('ignored')),
    encodePushPromise(1, 2, block),
    encodeGoaway(9, ErrorCode.NO_ERROR, 'bye'),
  ]);
  const expected: Recorded[] = [
    { kind: 'settings', ack: false, payload: SETTINGS.subarray(9).toString('hex') },
    { kind: 'settings', ack: true, payload: '' },
    { kind: 'headers', streamId: 1, block: '82868441', endStream: false },
    { kind: 'data', streamId: 1, data: Buffer.from('hello').toString('hex'), endStream: false, flowBytes: 5 },
    { kind: 'data', streamId: 1, data: Buffer.from('padded').toString('hex'), endStream: true, flowBytes: 14 },
    { kind: 'rst', streamId: 3, code: ErrorCode.CANCEL },
    { kind: 'ping', ack: false, data: Buffer.from('01234567').toString('hex') },
    { kind: 'ping', ack: true, data: Buffer.from('abcdefgh').toString('hex') },
    { kind: 'window', streamId: 0, increment: 1000 },
    { kind: 'window', streamId: 5, increment: 7 },
    { kind: 'priority', streamId: 7, dependsOn: 1, exclusive: true, weight: 15 },
    { kind: 'unknown', type: 0xfa, streamId: 9 },
    { kind: 'push', streamId: 1, promisedStreamId: 2, block: '82868441' },
    { kind: 'goaway', lastStreamId: 9, code: 0, debug: 'bye' },
  ];

  it('reads every frame type from one chunk', () => {
    assert.deepEqual(parse(stream), expected);
  });

  it('reads the same frames from chunks split at every size from 1 to 17 octets', () => {
    for (let step = 1; step <= 17; step++) assert.deepEqual(parse(stream, step), expected, `step ${step}`);
  });

  it('joins a header block split over CONTINUATION frames, with padding and priority on HEADERS', () => {
    const big = Buffer.alloc(40_000, 0x41);
    const frames = encodeHeaderFrames(3, big, { endStream: true, padLength: 10, priority: { dependsOn: 0, exclusive: false, weight: 200 } });
    const got = parse(Buffer.concat([SETTINGS, frames]), 1000);
    assert.deepEqual(got.slice(1), [
      { kind: 'priority', streamId: 3, dependsOn: 0, exclusive: false, weight: 200 },
      { kind: 'headers', streamId: 3, block: big.toString('hex'), endStream: true },
    ]);
  });

  it('takes a header block in as many CONTINUATION frames as allowed, and refuses one more', () => {
    const frames = (n: number): Buffer =>
      Buffer.concat([SETTINGS, encodeFrame(FrameType.HEADERS, 0, 1, block), ...Array.from({ length: n }, (_, i) => encodeFrame(FrameType.CONTINUATION, i === n - 1 ? Flag.END_HEADERS : 0, 1, block))]);
    const got = parse(frames(4), Infinity, { maxContinuationFrames: 4 });
    assert.deepEqual(got.slice(1), [{ kind: 'headers', streamId: 1, block: Buffer.concat(Array(5).fill(block)).toString('hex'), endStream: false }]);
    assert.equal(parseError(frames(5), { maxContinuationFrames: 4 }).code, ErrorCode.ENHANCE_YOUR_CALM);
  });

  it('checks the client preface when asked to, octet by octet', () => {
    const good = Buffer.concat([CLIENT_PREFACE, SETTINGS]);
    assert.equal(parse(good, 5, { expectPreface: true }).length, 1);
    const err = parseError(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), { expectPreface: true });
    assert.equal(err.code, ErrorCode.PROTOCOL_ERROR);
  });

  it('reports protocol errors as connection errors with the RFC code', () => {
    const cases: [string, Buffer, number][] = [
      ['frame over SETTINGS_MAX_FRAME_SIZE', Buffer.concat([SETTINGS, encodeDataFrame(1, Buffer.alloc(16_385), false)]), ErrorCode.FRAME_SIZE_ERROR],
      ['garbage (an HTTP/1.1 response)', Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), ErrorCode.FRAME_SIZE_ERROR],
      ['first frame not SETTINGS', encodePing(), ErrorCode.PROTOCOL_ERROR],
      ['CONTINUATION without HEADERS', Buffer.concat([SETTINGS, encodeFrame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block)]), ErrorCode.PROTOCOL_ERROR],
      ['HEADERS interrupted before END_HEADERS', Buffer.concat([SETTINGS, encodeFrame(FrameType.HEADERS, 0, 1, block), encodePing()]), ErrorCode.PROTOCOL_ERROR],
      ['CONTINUATION on another stream', Buffer.concat([SETTINGS, encodeFrame(FrameType.HEADERS, 0, 1, block), encodeFrame(FrameType.CONTINUATION, Flag.END_HEADERS, 3, block)]), ErrorCode.PROTOCOL_ERROR],
      ['padding longer than the payload', Buffer.concat([SETTINGS, encodeFrame(FrameType.DATA, Flag.PADDED, 1, Buffer.from([5, 1, 2]))]), ErrorCode.PROTOCOL_ERROR],
      ['DATA on stream 0', Buffer.concat([SETTINGS, encodeDataFrame(0, Buffer.from('x'), false)]), ErrorCode.PROTOCOL_ERROR],
      ['SETTINGS on a stream', Buffer.concat([SETTINGS, encodeFrame(FrameType.SETTINGS, 0, 1)]), ErrorCode.PROTOCOL_ERROR],
      ['SETTINGS length not a multiple of 6', Buffer.concat([SETTINGS, encodeFrame(FrameType.SETTINGS, 0, 0, Buffer.alloc(5))]), ErrorCode.FRAME_SIZE_ERROR],
      ['SETTINGS ACK with payload', Buffer.concat([SETTINGS, encodeFrame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(6))]), ErrorCode.FRAME_SIZE_ERROR],
      ['PING of 7 octets', Buffer.concat([SETTINGS, encodeFrame(FrameType.PING, 0, 0, Buffer.alloc(7))]), ErrorCode.FRAME_SIZE_ERROR],
      ['RST_STREAM of 3 octets', Buffer.concat([SETTINGS, encodeFrame(FrameType.RST_STREAM, 0, 1, Buffer.alloc(3))]), ErrorCode.FRAME_SIZE_ERROR],
      ['GOAWAY of 7 octets', Buffer.concat([SETTINGS, encodeFrame(FrameType.GOAWAY, 0, 0, Buffer.alloc(7))]), ErrorCode.FRAME_SIZE_ERROR],
      ['WINDOW_UPDATE of 0 on the connection', Buffer.concat([SETTINGS, encodeWindowUpdate(0, 0)]), ErrorCode.PROTOCOL_ERROR],
      ['header block over the limit', Buffer.concat([SETTINGS, encodeHeaderFrames(1, Buffer.alloc(300_000))]), ErrorCode.ENHANCE_YOUR_CALM],
      ['empty CONTINUATION frames past the limit (CVE-2019-9518)', Buffer.concat([SETTINGS, encodeFrame(FrameType.HEADERS, 0, 1, block), ...Array.from({ length: 33 }, () => encodeFrame(FrameType.CONTINUATION, 0, 1))]), ErrorCode.ENHANCE_YOUR_CALM],
    ];
    for (const [what, bytes, code] of cases) assert.equal(parseError(bytes).code, code, what);
  });

  it('reports stream errors to the handler and goes on', () => {
    const got = parse(Buffer.concat([SETTINGS, encodeWindowUpdate(3, 0), encodeFrame(FrameType.PRIORITY, 0, 5, Buffer.alloc(4)), encodePing()]));
    assert.deepEqual(got.slice(1), [
      { kind: 'stream-error', streamId: 3, code: ErrorCode.PROTOCOL_ERROR },
      { kind: 'stream-error', streamId: 5, code: ErrorCode.FRAME_SIZE_ERROR },
      { kind: 'ping', ack: false, data: '0000000000000000' },
    ]);
  });

  it('refuses more input after a connection error', () => {
    const p = new FrameParser(new RecordingHandler());
    assert.throws(() => p.push(encodePing()), H2Error);
    assert.throws(() => p.push(SETTINGS), H2Error);
    assert.equal(p.error?.code, ErrorCode.PROTOCOL_ERROR);
  });

  it('fails an oversized frame as soon as its header arrives, before its payload', () => {
    const p = new FrameParser(new RecordingHandler());
    p.push(SETTINGS);
    assert.throws(() => p.push(Buffer.from([0x10, 0, 0, 0, 0, 0, 0, 0, 1])), (e: H2Error) => e.code === ErrorCode.FRAME_SIZE_ERROR);
  });
});
