/**
 * The part of a scenario's context that records: where its events go and what the server uses.
 * Declared apart from `ScenarioContext` (`types.ts`, which extends it) so that the recorder,
 * which client threads load too, does not import the context that names the thread pool.
 */
import type { EventBody, ServerSample } from '../events/schema.ts';

export interface ScenarioIo {
  /** Appends an event (progress, log) to the target's result file. */
  emit(event: EventBody): void;
  /** Newest server CPU/RSS sample, when the runner started the server. */
  serverSample(): ServerSample | undefined;
}
