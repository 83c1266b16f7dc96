/**
 * Residents' requests as the live stream pushes them (`request.updated`), for the pages that list them.
 * The pages keep their own filtered lists (the server's answers) and merge each pushed request in; a
 * resync (every reconnect and community switch) tells them to re-read what they may have missed.
 * Each listener is wrapped, so one faulty page cannot stop the others hearing.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type { ServiceRequest } from '../../../contract/index.ts';

export type RequestListener = (request: ServiceRequest) => void;

export function createRequestFeed() {
  const listeners = new Set<RequestListener>();
  /** Grows with every resync: pages re-read their lists when it changes. */
  const resyncs = shallowRef(0);
  return {
    resyncs,
    subscribe(listener: RequestListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish(request: ServiceRequest): void {
      for (const listener of [...listeners]) {
        try {
          listener(request);
        } catch (error) {
          console.error('request listener failed', error);
        }
      }
    },
    resynced(): void {
      resyncs.value += 1;
    },
  };
}

export type RequestFeed = ReturnType<typeof createRequestFeed>;

/** Listens while the calling component (or scope) lives. */
export function useRequestFeed(feed: RequestFeed, listener: RequestListener): void {
  onScopeDispose(feed.subscribe(listener));
}
