/**
 * The bridge protocol (version 1): the binary WebSocket messages between the
 * native CLAP plugin (bridge/native/) and the bridge page (bridge/web/) that
 * hosts the WAM. One protocol message per binary WebSocket message: an
 * 8-byte header (u8 type, u8 version = 1, u16 flags = 0, u32 body_length)
 * and a body; integers little-endian, f64 IEEE-754 little-endian. The C codec
 * (bridge/native/protocol.c) and this one pass the same vectors
 * (protocol/bridge-vectors.txt). docs/bridge.md has the table.
 *
 * Beats are quarter notes (CLAP's song position). u64 fields are `bigint`
 * so 64-bit values (e.g. a monotonic time in ns) survive the round trip.
 */

/** Protocol version carried in every header. */
export const BRIDGE_PROTOCOL_VERSION = 1;
/** Header size, bytes. */
export const BRIDGE_HEADER_BYTES = 8;
/** Largest body a receiver accepts, bytes (1 MiB); a bigger WebSocket message closes the socket (1009). */
export const BRIDGE_MAX_BODY_BYTES = 1_048_576;
/** Longest HELLO host name, utf8 bytes. */
export const BRIDGE_MAX_HOST_NAME_BYTES = 256;

/** Message type codes of the header's first byte. */
export const BridgeType = {
  HELLO: 0x01,
  TRANSPORT: 0x02,
  MIDI_IN: 0x03,
  PARAM: 0x04,
  STATE_GET: 0x05,
  STATE: 0x06,
  STATE_SET: 0x07,
  PING: 0x08,
  PONG: 0x09,
  STATS: 0x0a,
  MIDI_OUT: 0x10,
  ALL_NOTES_OFF: 0x11,
} as const;
/** A message's name (the spec table's). */
export type BridgeTypeName = keyof typeof BridgeType;

/** TRANSPORT flag bits. */
export const TransportFlag = {
  PLAYING: 1,
  LOOP_ACTIVE: 2,
  RECORDING: 4,
  FROM_HOST: 8,
} as const;

/** native → page, on connect: the DAW's audio settings and name. */
export interface HelloMessage {
  type: 'HELLO';
  sampleRateHz: number;
  maxBlockFrames: number;
  /** Random per plugin instance (tells two instances apart). */
  instanceNonce: number;
  /** The DAW's name (≤ 256 utf8 bytes). */
  host: string;
}

/** native → page: the transport at a block's first sample (on change, and at least every 100 ms). */
export interface TransportMessage {
  type: 'TRANSPORT';
  /** DAW frames since activate at the block's start. */
  blockSampleTime: bigint;
  /** Song position at the block's start, quarter-note beats. */
  songPosBeats: number;
  /** Start of the bar the block starts in, beats. */
  barStartBeats: number;
  tempoBpm: number;
  loopStartBeats: number;
  loopEndBeats: number;
  tsNum: number;
  tsDenom: number;
  /** {@link TransportFlag} bits. */
  flags: number;
}

/** native → page: one MIDI 1.0 message from the DAW. */
export interface MidiInMessage {
  type: 'MIDI_IN';
  /** DAW frames since activate of the event's sample. */
  sampleTime: bigint;
  /** Song position of the event, beats. */
  songPosBeats: number;
  /** 1 to 3 bytes. */
  data: number[];
}

/** both ways: a parameter's plain value (choice = index). */
export interface ParamMessage {
  type: 'PARAM';
  /** FNV-1a 32-bit hash of the WAM parameter id ({@link paramIdOf}). */
  paramId: number;
  value: number;
}

/** native → page: asks for a STATE reply with this id. */
export interface StateGetMessage {
  type: 'STATE_GET';
  requestId: number;
}

/** page → native: the WAM's state as JSON (request id 0 = pushed unasked). */
export interface StateMessage {
  type: 'STATE';
  requestId: number;
  json: string;
}

/** native → page: a state to apply with `setState()`. */
export interface StateSetMessage {
  type: 'STATE_SET';
  json: string;
}

/** native → page every 250 ms; echoed as PONG. */
export interface PingMessage {
  type: 'PING';
  pingId: number;
  /** Native monotonic time, ns. */
  nativeTimeNs: bigint;
}

/** page → native: a PING's fields echoed. */
export interface PongMessage {
  type: 'PONG';
  pingId: number;
  nativeTimeNs: bigint;
}

/** native → page at ≥ 2 Hz: how returned events fared, and the last round trip. */
export interface StatsMessage {
  type: 'STATS';
  /** Events played at their exact sample. */
  exact: number;
  /** Events that arrived late (< 1/8 beat) and played at sample 0. */
  late: number;
  /** Events dropped (later than 1/8 beat). */
  dropped: number;
  /** Events lost to full queues. */
  overflow: number;
  /** Last PING → PONG time, ms. */
  roundTripMs: number;
}

/** page → native: one MIDI 1.0 message to play at a song position. */
export interface MidiOutMessage {
  type: 'MIDI_OUT';
  songPosBeats: number;
  /** 1 to 3 bytes. */
  data: number[];
}

/** page → native: end every note the native side started, and forget pending events. */
export interface AllNotesOffMessage {
  type: 'ALL_NOTES_OFF';
}

/** Every message of the protocol. */
export type BridgeMessage =
  | HelloMessage | TransportMessage | MidiInMessage | ParamMessage | StateGetMessage | StateMessage
  | StateSetMessage | PingMessage | PongMessage | StatsMessage | MidiOutMessage | AllNotesOffMessage;

/** What {@link decodeBridgeMessage} found. */
export type DecodeResult =
  | { ok: true; message: BridgeMessage }
  /** A well-formed header of a type this version does not know: ignore and count. */
  | { ok: false; error: 'unknown'; typeCode: number }
  /** Not a valid message: drop and count (the connection stays open). */
  | { ok: false; error: 'malformed'; reason: string };

/** Fixed body sizes (text-tailed messages: the fixed part before the tail). */
const FIXED: Record<BridgeTypeName, number> = {
  HELLO: 12, TRANSPORT: 52, MIDI_IN: 20, PARAM: 12, STATE_GET: 4, STATE: 4, STATE_SET: 0,
  PING: 12, PONG: 12, STATS: 24, MIDI_OUT: 12, ALL_NOTES_OFF: 0,
};
const HAS_TAIL = new Set<BridgeTypeName>(['HELLO', 'STATE', 'STATE_SET']);
const NAMES = new Map<number, BridgeTypeName>(Object.entries(BridgeType).map(([k, v]) => [v, k as BridgeTypeName]));

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

const malformed = (reason: string): DecodeResult => ({ ok: false, error: 'malformed', reason });

/**
 * Decodes one protocol message. Never throws: anything that is not a valid
 * message comes back as `{ ok: false, error: 'malformed' | 'unknown' }`.
 * Header flags and TRANSPORT's reserved byte are ignored; MIDI bytes past
 * `size` are ignored.
 */
export function decodeBridgeMessage(input: ArrayBuffer | ArrayBufferView): DecodeResult {
  const bytes = input instanceof ArrayBuffer
    ? new Uint8Array(input)
    : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < BRIDGE_HEADER_BYTES) return malformed(`message of ${bytes.length} bytes is shorter than the 8-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const typeCode = view.getUint8(0);
  const version = view.getUint8(1);
  const bodyLength = view.getUint32(4, true);
  if (version !== BRIDGE_PROTOCOL_VERSION) return malformed(`version ${version}, expected ${BRIDGE_PROTOCOL_VERSION}`);
  if (bodyLength > BRIDGE_MAX_BODY_BYTES) return malformed(`body_length ${bodyLength} over the ${BRIDGE_MAX_BODY_BYTES}-byte limit`);
  if (bodyLength !== bytes.length - BRIDGE_HEADER_BYTES) {
    return malformed(`body_length ${bodyLength} but ${bytes.length - BRIDGE_HEADER_BYTES} body bytes arrived`);
  }
  const name = NAMES.get(typeCode);
  if (name === undefined) return { ok: false, error: 'unknown', typeCode };
  const fixed = FIXED[name];
  if (bodyLength < fixed || (!HAS_TAIL.has(name) && bodyLength !== fixed)) {
    return malformed(`${name} body of ${bodyLength} bytes, expected ${HAS_TAIL.has(name) ? 'at least ' : ''}${fixed}`);
  }
  const b = BRIDGE_HEADER_BYTES;
  const u32 = (at: number): number => view.getUint32(b + at, true);
  const u64 = (at: number): bigint => view.getBigUint64(b + at, true);
  const f64 = (at: number): number => view.getFloat64(b + at, true);
  const u8 = (at: number): number => view.getUint8(b + at);
  const tail = (at: number): string => utf8Decoder.decode(bytes.subarray(b + at));
  const midi = (at: number): number[] | null => {
    const size = u8(at);
    if (size < 1 || size > 3) return null;
    return Array.from(bytes.subarray(b + at + 1, b + at + 1 + size));
  };
  switch (name) {
    case 'HELLO':
      if (bodyLength - fixed > BRIDGE_MAX_HOST_NAME_BYTES) return malformed(`HELLO host name of ${bodyLength - fixed} bytes, at most ${BRIDGE_MAX_HOST_NAME_BYTES}`);
      return { ok: true, message: { type: name, sampleRateHz: u32(0), maxBlockFrames: u32(4), instanceNonce: u32(8), host: tail(12) } };
    case 'TRANSPORT':
      return {
        ok: true,
        message: {
          type: name, blockSampleTime: u64(0), songPosBeats: f64(8), barStartBeats: f64(16), tempoBpm: f64(24),
          loopStartBeats: f64(32), loopEndBeats: f64(40), tsNum: u8(48), tsDenom: u8(49), flags: u8(50),
        },
      };
    case 'MIDI_IN': {
      const data = midi(16);
      if (!data) return malformed(`MIDI_IN size ${u8(16)}, expected 1 to 3`);
      return { ok: true, message: { type: name, sampleTime: u64(0), songPosBeats: f64(8), data } };
    }
    case 'PARAM':
      return { ok: true, message: { type: name, paramId: u32(0), value: f64(4) } };
    case 'STATE_GET':
      return { ok: true, message: { type: name, requestId: u32(0) } };
    case 'STATE':
      return { ok: true, message: { type: name, requestId: u32(0), json: tail(4) } };
    case 'STATE_SET':
      return { ok: true, message: { type: name, json: tail(0) } };
    case 'PING':
    case 'PONG':
      return { ok: true, message: { type: name, pingId: u32(0), nativeTimeNs: u64(4) } };
    case 'STATS':
      return { ok: true, message: { type: name, exact: u32(0), late: u32(4), dropped: u32(8), overflow: u32(12), roundTripMs: f64(16) } };
    case 'MIDI_OUT': {
      const data = midi(8);
      if (!data) return malformed(`MIDI_OUT size ${u8(8)}, expected 1 to 3`);
      return { ok: true, message: { type: name, songPosBeats: f64(0), data } };
    }
    case 'ALL_NOTES_OFF':
      return { ok: true, message: { type: name } };
  }
}

/**
 * Encodes one message (header and body) into a fresh buffer.
 * @throws RangeError when a field cannot be encoded: MIDI data not 1–3 bytes
 *   of 0–255, an integer out of its u8/u32/u64 range, a HELLO host over 256
 *   bytes or a body over 1 MiB.
 */
export function encodeBridgeMessage(message: BridgeMessage): Uint8Array<ArrayBuffer> {
  const tail = 'host' in message ? utf8Encoder.encode(message.host) : 'json' in message ? utf8Encoder.encode(message.json) : null;
  const fixed = FIXED[message.type];
  const bodyLength = fixed + (tail ? tail.length : 0);
  if (message.type === 'HELLO' && tail && tail.length > BRIDGE_MAX_HOST_NAME_BYTES) {
    throw new RangeError(`HELLO host name is ${tail.length} utf8 bytes, at most ${BRIDGE_MAX_HOST_NAME_BYTES}`);
  }
  if (bodyLength > BRIDGE_MAX_BODY_BYTES) throw new RangeError(`${message.type} body of ${bodyLength} bytes is over the ${BRIDGE_MAX_BODY_BYTES}-byte limit`);
  const out = new Uint8Array(BRIDGE_HEADER_BYTES + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, BridgeType[message.type]);
  view.setUint8(1, BRIDGE_PROTOCOL_VERSION);
  view.setUint32(4, bodyLength, true);
  const b = BRIDGE_HEADER_BYTES;
  const u8 = (at: number, v: number, field: string): void => view.setUint8(b + at, checkInt(v, 0xff, field));
  const u32 = (at: number, v: number, field: string): void => view.setUint32(b + at, checkInt(v, 0xffffffff, field), true);
  const u64 = (at: number, v: bigint, field: string): void => {
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`${field} = ${v} is outside u64`);
    view.setBigUint64(b + at, v, true);
  };
  const f64 = (at: number, v: number): void => view.setFloat64(b + at, v, true);
  const midi = (at: number, data: readonly number[]): void => {
    if (data.length < 1 || data.length > 3) throw new RangeError(`MIDI data of ${data.length} bytes, expected 1 to 3`);
    u8(at, data.length, 'size');
    data.forEach((v, i) => u8(at + 1 + i, v, 'data'));
  };
  switch (message.type) {
    case 'HELLO':
      u32(0, message.sampleRateHz, 'sample_rate_hz');
      u32(4, message.maxBlockFrames, 'max_block_frames');
      u32(8, message.instanceNonce, 'instance_nonce');
      break;
    case 'TRANSPORT':
      u64(0, message.blockSampleTime, 'block_sample_time');
      f64(8, message.songPosBeats);
      f64(16, message.barStartBeats);
      f64(24, message.tempoBpm);
      f64(32, message.loopStartBeats);
      f64(40, message.loopEndBeats);
      u8(48, message.tsNum, 'ts_num');
      u8(49, message.tsDenom, 'ts_denom');
      u8(50, message.flags, 'flags');
      break;
    case 'MIDI_IN':
      u64(0, message.sampleTime, 'sample_time');
      f64(8, message.songPosBeats);
      midi(16, message.data);
      break;
    case 'PARAM':
      u32(0, message.paramId, 'param_id');
      f64(4, message.value);
      break;
    case 'STATE_GET':
    case 'STATE':
      u32(0, message.requestId, 'request_id');
      break;
    case 'PING':
    case 'PONG':
      u32(0, message.pingId, 'ping_id');
      u64(4, message.nativeTimeNs, 'native_time_ns');
      break;
    case 'STATS':
      u32(0, message.exact, 'exact');
      u32(4, message.late, 'late');
      u32(8, message.dropped, 'dropped');
      u32(12, message.overflow, 'overflow');
      f64(16, message.roundTripMs);
      break;
    case 'MIDI_OUT':
      f64(0, message.songPosBeats);
      midi(8, message.data);
      break;
    case 'STATE_SET':
    case 'ALL_NOTES_OFF':
      break;
  }
  if (tail) out.set(tail, b + fixed);
  return out;
}

function checkInt(value: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${field} = ${value} is not an integer in 0..${max}`);
  return value;
}

/**
 * The protocol's parameter id of a WAM parameter id: the FNV-1a 32-bit hash
 * of its utf8 bytes (offset basis 2166136261, prime 16777619), unsigned.
 */
export function paramIdOf(wamParameterId: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8Encoder.encode(wamParameterId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
