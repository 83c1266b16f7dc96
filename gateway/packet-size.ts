/**
 * MQTT 3.1.1 lets a packet be up to 256 MiB and aedes buffers a packet whole before handing it over,
 * so one client could exhaust memory. This guard refuses a packet as soon as its fixed header
 * announces a remaining length above the limit, before its body is buffered.
 *
 * Written by hand because neither aedes nor mqtt-packet offers a limit under MQTT 3.1.1: it wraps the
 * parser's length step (mqtt-packet 9 `_parseLength`), whose behaviour the gateway tests pin down.
 */
import type { Client } from 'aedes';

interface ParserInternals {
  packet: { length: number; cmd?: string };
  _parseLength(): boolean;
  _emitError(error: Error): void;
}

export function guardPacketSize(client: Client, maxBytes: number, onTooLarge: (bytes: number) => void): void {
  const parser = (client as unknown as { _parser?: ParserInternals })._parser;
  if (!parser || typeof parser._parseLength !== 'function') throw new Error('aedes internals changed: the packet size guard cannot attach');
  const parseLength = parser._parseLength.bind(parser);
  parser._parseLength = () => {
    const done = parseLength();
    if (done && parser.packet.length > maxBytes) {
      onTooLarge(parser.packet.length);
      parser._emitError(new Error(`packet of ${parser.packet.length} bytes exceeds the limit of ${maxBytes}`));
      return false;
    }
    return done;
  };
}
