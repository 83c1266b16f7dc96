/**
 * The one owner of the live connection: a WebSocket to `/api/v1/stream` that reconnects with
 * exponential backoff and jitter. Every `hello` (first frame of each connection) calls `onHello`,
 * where the caller re-fetches what may have been missed; other events go to `onEvent`.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type { LiveEvent } from '../../../contract/index.ts';
import { API_BASE } from '../api/client.ts';
import { parseLiveEvent } from './parse.ts';

export type LiveState = 'idle' | 'connecting' | 'open' | 'waiting';

/** The part of the browser's WebSocket this composable uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface LiveStreamOptions {
  /** The stream's URL with the token, or null when signed out. */
  url: () => string | null;
  onHello: (event: Extract<LiveEvent, { type: 'hello' }>) => void;
  onEvent: (event: LiveEvent) => void;
  /** Asked before reconnecting after a connection that never said hello; false stops (e.g. signed out). */
  shouldRetry?: () => Promise<boolean>;
  socket?: SocketFactory;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** With no frame for this long (the server pings every 25 s), the connection is taken for dead. */
  silenceMs?: number;
  random?: () => number;
}

export function streamUrl(token: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${API_BASE}/stream?access_token=${encodeURIComponent(token)}`;
}

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function useLiveStream(options: LiveStreamOptions) {
  const initialMs = options.initialDelayMs ?? 1000;
  const maxMs = options.maxDelayMs ?? 30_000;
  const silenceMs = options.silenceMs ?? 60_000;
  const random = options.random ?? Math.random;
  const open = options.socket ?? ((url: string) => new WebSocket(url));

  const state = shallowRef<LiveState>('idle');
  /** When the next attempt is due (epoch ms), while waiting. */
  const retryAt = shallowRef<number | null>(null);
  let socket: SocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let running = false;

  function detach(current: SocketLike) {
    current.onopen = current.onmessage = current.onerror = current.onclose = null;
  }

  function connect() {
    clearTimeout(timer);
    retryAt.value = null;
    const url = options.url();
    if (!running || !url) {
      stop();
      return;
    }
    state.value = 'connecting';
    let greeted = false;
    const current = open(url);
    socket = current;
    // A half-open connection (a laptop that slept) never closes by itself: close it when silent.
    const watch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => current.close(4000, 'silent'), silenceMs);
    };
    watch();
    current.onmessage = (message) => {
      watch();
      const event = parseLiveEvent(message.data);
      if (!event || event.type === 'ping') return;
      if (event.type === 'hello') {
        greeted = true;
        attempt = 0;
        state.value = 'open';
        options.onHello(event);
      } else {
        options.onEvent(event);
      }
    };
    current.onclose = () => {
      clearTimeout(watchdog);
      detach(current);
      if (socket === current) socket = null;
      if (running) void scheduleRetry(greeted);
    };
    current.onerror = () => undefined;
  }

  async function scheduleRetry(wasGreeted: boolean) {
    state.value = 'waiting';
    if (!wasGreeted && options.shouldRetry && !(await options.shouldRetry())) {
      stop();
      return;
    }
    if (!running) return;
    const delay = backoffDelay(attempt, initialMs, maxMs, random);
    attempt += 1;
    retryAt.value = Date.now() + delay;
    timer = setTimeout(connect, delay);
  }

  function start() {
    if (running) return;
    running = true;
    attempt = 0;
    connect();
  }

  function stop() {
    running = false;
    clearTimeout(timer);
    clearTimeout(watchdog);
    retryAt.value = null;
    if (socket) {
      const current = socket;
      socket = null;
      detach(current);
      current.close(1000, 'client stopped');
    }
    state.value = 'idle';
  }

  /** Skips the wait (a "reconnect now" button, or the browser coming back online). */
  function reconnectNow() {
    if (running && state.value === 'waiting') connect();
  }

  onScopeDispose(stop);
  return { state, retryAt, start, stop, reconnectNow };
}

export type LiveStream = ReturnType<typeof useLiveStream>;
