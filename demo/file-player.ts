/**
 * The demo host's audio-file transport: one file at a time feeds one
 * destination (the plugin's input). Play, stop, loop on/off and seeking;
 * opening another file replaces the one before (it stops first), so files
 * never stack.
 *
 * An `AudioBufferSourceNode` plays only once, so every start makes a new
 * source from the kept buffer at the wanted offset; the position is computed
 * from the context clock, never from a timer.
 */

/** Seconds on the file's own timeline (0 = its first sample). */
export type FileSeconds = number;

/** What {@link FilePlayer.snapshot} reports. */
export interface FilePlayerSnapshot {
  /** The loaded file's name, or '' when none is loaded. */
  name: string;
  /** The file's length in seconds (0 when none is loaded). */
  duration: FileSeconds;
  /** Where playback is (or would resume), in seconds from the file's start. */
  position: FileSeconds;
  playing: boolean;
  loop: boolean;
  /** How many sources are connected to the destination now: 1 while playing, else 0. */
  activeSources: number;
}

/** Plays one decoded file into `destination`. Cheap to make; {@link dispose} is idempotent. */
export class FilePlayer {
  private readonly context: BaseAudioContext;
  private readonly destination: AudioNode;
  private buffer: AudioBuffer | null = null;
  private fileName = '';
  private source: AudioBufferSourceNode | null = null;
  /** Context time (s) at which the file's `startOffset` was (or would have been) heard. */
  private startedAt = 0;
  /** File position (s) that playback started from. */
  private startOffset: FileSeconds = 0;
  private looping = true;
  private readonly listeners = new Set<() => void>();

  constructor(context: BaseAudioContext, destination: AudioNode) {
    this.context = context;
    this.destination = destination;
  }

  /**
   * Replaces the current file (stopping it) with `buffer`, positioned at 0.
   * @param play Start playing at once (default true).
   */
  load(buffer: AudioBuffer, name: string, play = true): void {
    this.stopSource();
    this.buffer = buffer;
    this.fileName = name;
    this.startOffset = 0;
    if (play) this.play(); else this.changed();
  }

  /** Starts (or restarts) playback from the current position. Does nothing without a file. */
  play(): void {
    if (!this.buffer) return;
    const from = this.position();
    this.stopSource();
    const source = new AudioBufferSourceNode(this.context, { buffer: this.buffer, loop: this.looping });
    source.connect(this.destination);
    source.onended = () => {
      // A source that ran off its end (loop off) leaves the transport stopped at the end.
      if (this.source !== source) return;
      this.source = null;
      source.disconnect();
      this.startOffset = this.buffer?.duration ?? 0;
      this.changed();
    };
    const offset = from >= this.buffer.duration ? 0 : from;
    source.start(this.context.currentTime, offset);
    this.source = source;
    this.startedAt = this.context.currentTime;
    this.startOffset = offset;
    this.changed();
  }

  /** Stops playback and keeps the position, so {@link play} resumes there. */
  stop(): void {
    if (!this.source) return;
    this.startOffset = this.position();
    this.stopSource();
    this.changed();
  }

  /** Turns looping on or off (also for the file that is playing). Default on. */
  setLoop(loop: boolean): void {
    this.looping = loop;
    if (this.source) {
      // Position first: with the loop off, a source past its end would stop at once.
      const position = this.position();
      this.startOffset = position;
      this.startedAt = this.context.currentTime;
      this.source.loop = loop;
      if (!loop) this.play();
    }
    this.changed();
  }

  /**
   * Moves to `seconds` (clamped to the file), playing on from there when playing.
   * @param seconds Position in the file, in seconds.
   */
  seek(seconds: FileSeconds): void {
    if (!this.buffer || !Number.isFinite(seconds)) return;
    this.startOffset = Math.min(Math.max(0, seconds), this.buffer.duration);
    this.startedAt = this.context.currentTime;
    if (this.source) this.play(); else this.changed();
  }

  /** The position in seconds from the file's start (wrapped when looping). */
  position(): FileSeconds {
    const buffer = this.buffer;
    if (!buffer) return 0;
    if (!this.source) return this.startOffset;
    const elapsed = Math.max(0, this.context.currentTime - this.startedAt);
    const at = this.startOffset + elapsed;
    if (this.looping && buffer.duration > 0) return at % buffer.duration;
    return Math.min(at, buffer.duration);
  }

  /** The transport's state now. */
  snapshot(): FilePlayerSnapshot {
    return {
      name: this.fileName,
      duration: this.buffer?.duration ?? 0,
      position: this.position(),
      playing: this.source !== null,
      loop: this.looping,
      activeSources: this.source ? 1 : 0,
    };
  }

  /** Calls `listener` when playing, stopping, looping, seeking or the file changes; returns the remover. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops and forgets the file and the listeners. Idempotent. */
  dispose(): void {
    this.stopSource();
    this.buffer = null;
    this.fileName = '';
    this.listeners.clear();
  }

  private stopSource(): void {
    const source = this.source;
    if (!source) return;
    this.source = null;
    source.onended = null;
    source.stop();
    source.disconnect();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** `m:ss` for a position in seconds, e.g. 75.4 → "1:15". */
export function formatSeconds(seconds: FileSeconds): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
