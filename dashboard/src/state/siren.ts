/**
 * The red-alert sound, made with the Web Audio API (no audio file): three rising two-tone beeps,
 * like a fire panel's pre-alarm, about 1.6 s long. Square waves carry over a control room's noise
 * better than sine waves; the gain envelope avoids clicks.
 */

/** The part of an AudioContext the siren uses (tests pass a fake). */
export interface AudioLike {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: AudioNode;
  resume(): Promise<void>;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

export const SIREN_TONES_HZ = [740, 988] as const;
const BEEP_S = 0.22;
const GAP_S = 0.05;
const BEEPS = 6;

/** Schedules the siren from `start` (the context's clock, seconds); returns when it ends. */
export function playSiren(context: AudioLike, start = context.currentTime, volume = 0.25): number {
  const gain = context.createGain();
  gain.gain.setValueAtTime(0, start);
  gain.connect(context.destination);
  let at = start;
  for (let i = 0; i < BEEPS; i++) {
    const oscillator = context.createOscillator();
    oscillator.type = 'square';
    oscillator.frequency.setValueAtTime(SIREN_TONES_HZ[i % 2]!, at);
    oscillator.connect(gain);
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(volume, at + 0.02);
    gain.gain.setValueAtTime(volume, at + BEEP_S - 0.03);
    gain.gain.linearRampToValueAtTime(0, at + BEEP_S);
    oscillator.start(at);
    oscillator.stop(at + BEEP_S);
    at += BEEP_S + GAP_S;
  }
  return at;
}
