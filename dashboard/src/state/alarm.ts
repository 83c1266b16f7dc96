/**
 * The red-alert alarm: a sound (state/siren.ts) and a flashing tab title, with a mute switch
 * remembered in localStorage. Browsers keep audio suspended until the user has interacted with the
 * page; `blocked` tells the screen so it can ask for a click, which `unlock()` then uses.
 */
import { shallowRef } from 'vue';
import { playSiren, type AudioLike } from './siren.ts';

const STORAGE_KEY = 'anju.alarm.muted';
/** How long the title flashes unless someone interacts with the page first. */
export const FLASH_MS = 60_000;
export const FLASH_PERIOD_MS = 1000;

export interface AlarmOptions {
  storage?: Storage;
  /** Creates the audio context on first use; null when the browser has none (tests pass a fake). */
  audio?: () => AudioLike | null;
}

function browserAudio(): AudioLike | null {
  const Context = globalThis.AudioContext as (new () => AudioContext) | undefined;
  return Context ? new Context() : null;
}

export function createAlarm(options: AlarmOptions = {}) {
  const storage = options.storage ?? globalThis.localStorage;
  const makeAudio = options.audio ?? browserAudio;
  const muted = shallowRef(storage?.getItem(STORAGE_KEY) === '1');
  /** Sound was asked for but the browser keeps audio suspended until a click or key press. */
  const blocked = shallowRef(false);
  /** The text the title flashes while a new red alert waits to be seen, else null. */
  const flashText = shallowRef<string | null>(null);
  /** Which half of the blink the title is in. */
  const flashOn = shallowRef(false);
  let context: AudioLike | null = null;
  let blink: ReturnType<typeof setInterval> | undefined;
  let end: ReturnType<typeof setTimeout> | undefined;

  function audio(): AudioLike | null {
    try {
      context ??= makeAudio();
    } catch {
      context = null;
    }
    return context;
  }

  function stopFlash() {
    clearInterval(blink);
    clearTimeout(end);
    flashText.value = null;
    flashOn.value = false;
  }

  return {
    muted,
    blocked,
    flashText,
    flashOn,
    setMuted(value: boolean) {
      muted.value = value;
      if (value) storage?.setItem(STORAGE_KEY, '1');
      else storage?.removeItem(STORAGE_KEY);
    },
    /** Plays the siren unless muted; true when it was scheduled. */
    ring(): boolean {
      if (muted.value) return false;
      const ctx = audio();
      if (!ctx) return false;
      if (ctx.state === 'suspended') {
        blocked.value = true;
        void ctx.resume().then(
          () => {
            if (ctx.state === 'running') blocked.value = false;
          },
          () => undefined,
        );
      }
      playSiren(ctx);
      return true;
    },
    /** After a click or key press the browser lets audio start. */
    unlock() {
      const ctx = context;
      if (!ctx || ctx.state !== 'suspended') {
        blocked.value = false;
        return;
      }
      void ctx.resume().then(
        () => (blocked.value = ctx.state !== 'running'),
        () => undefined,
      );
    },
    /** Blinks the tab title with `text` for FLASH_MS, or until stopFlash (someone looked). */
    flash(text: string) {
      stopFlash();
      flashText.value = text;
      flashOn.value = true;
      blink = setInterval(() => (flashOn.value = !flashOn.value), FLASH_PERIOD_MS);
      end = setTimeout(stopFlash, FLASH_MS);
    },
    stopFlash,
  };
}

export type Alarm = ReturnType<typeof createAlarm>;
