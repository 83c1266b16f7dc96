/** Test helper: a stand-in for the browser's WebSocket, for views that open the live connection. */
import { afterEach, beforeEach, vi } from 'vitest';
import type { LiveEvent } from '../../../contract/index.ts';

export class FakeSocket {
  /** Every socket opened since the test began, the latest last. */
  static all: FakeSocket[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  /** The server sends an event. */
  send(event: LiveEvent) {
    this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
  }
  /** The connection drops. */
  drop() {
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
  close() {
    this.closed = true;
  }
}

/** In the enclosing `describe`: each test starts with no sockets and `FakeSocket` as the global WebSocket, restored after it. */
export function stubWebSocket(): void {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
}
