/**
 * A `FrameHandler` for tests that records every frame as a plain object, in order, so a test
 * can assert the whole sequence at once.
 */
import type { H2Error } from './errors.ts';
import type { FrameHandler } from './frame-handler.ts';

/** One recorded frame or stream error. */
export type Recorded =
  | { kind: 'data'; streamId: number; data: string; endStream: boolean; flowBytes: number }
  | { kind: 'headers'; streamId: number; block: string; endStream: boolean }
  | { kind: 'push'; streamId: number; promisedStreamId: number; block: string }
  | { kind: 'rst'; streamId: number; code: number }
  | { kind: 'settings'; ack: boolean; payload: string }
  | { kind: 'ping'; ack: boolean; data: string }
  | { kind: 'goaway'; lastStreamId: number; code: number; debug: string }
  | { kind: 'window'; streamId: number; increment: number }
  | { kind: 'stream-error'; streamId: number; code: number }
  | { kind: 'priority'; streamId: number; dependsOn: number; exclusive: boolean; weight: number }
  | { kind: 'unknown'; type: number; streamId: number };

/** Records into `frames`; buffers are shown as hex. */
export class RecordingHandler implements FrameHandler {
  readonly frames: Recorded[] = [];
  onData(streamId: number, data: Buffer, endStream: boolean, flowBytes: number): void {
    this.frames.push({ kind: 'data', streamId, data: data.toString('hex'), endStream, flowBytes });
  }
  onHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    this.frames.push({ kind: 'headers', streamId, block: block.toString('hex'), endStream });
  }
  onPushPromise(streamId: number, promisedStreamId: number, block: Buffer): void {
    this.frames.push({ kind: 'push', streamId, promisedStreamId, block: block.toString('hex') });
  }
  onRstStream(streamId: number, code: number): void {
    this.frames.push({ kind: 'rst', streamId, code });
  }
  onSettings(ack: boolean, payload: Buffer): void {
    this.frames.push({ kind: 'settings', ack, payload: payload.toString('hex') });
  }
  onPing(ack: boolean, data: Buffer): void {
    this.frames.push({ kind: 'ping', ack, data: data.toString('hex') });
  }
  onGoaway(lastStreamId: number, code: number, debug: Buffer): void {
    this.frames.push({ kind: 'goaway', lastStreamId, code, debug: debug.toString('utf8') });
  }
  onWindowUpdate(streamId: number, increment: number): void {
    this.frames.push({ kind: 'window', streamId, increment });
  }
  onStreamError(err: H2Error): void {
    this.frames.push({ kind: 'stream-error', streamId: err.streamId, code: err.code });
  }
  onPriority(streamId: number, dependsOn: number, exclusive: boolean, weight: number): void {
    this.frames.push({ kind: 'priority', streamId, dependsOn, exclusive, weight });
  }
  onUnknownFrame(type: number, _flags: number, streamId: number): void {
    this.frames.push({ kind: 'unknown', type, streamId });
  }
}
