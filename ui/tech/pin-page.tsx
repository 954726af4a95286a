import { useEffect, useRef, useState } from 'preact/hooks';
import { clock, tl } from './labels';
import type { Bilingual, Lang } from '../../domain/language';
import type { TechAccess } from '../../domain/tech-channel/types';

const MAX_DIGITS = 12;

/** The PIN pad: large keys for the kiosk's touchscreen; a laptop can type the digits and Enter. */
export function PinPage(props: { readonly lang: Lang; readonly access: TechAccess; readonly refusal?: Bilingual; readonly idleLocked: boolean; readonly onUnlock: (pin: string) => void }) {
  const { lang, access, refusal } = props;
  const [pin, setPinState] = useState('');
  // The digits as typed so far, also between renders: a keyboard types faster than the page renders.
  const typed = useRef('');
  const setPin = (next: string): void => {
    typed.current = next;
    setPinState(next);
  };
  const lockedOut = access.lockedUntil !== undefined;
  const usable = access.pinSet && !lockedOut;
  const canUnlock = usable && pin.length >= 6;

  const press = (key: string): void => {
    if (usable && typed.current.length < MAX_DIGITS) setPin(typed.current + key);
  };
  const del = (): void => setPin(typed.current.slice(0, -1));
  const submit = (): void => {
    if (!usable || typed.current.length < 6) return;
    props.onUnlock(typed.current);
    setPin('');
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') del();
      else if (e.key === 'Enter') submit();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <main class="pin-page" data-testid="tech-pin">
      <h2 class="pin-title">{tl(lang, 'pinTitle')}</h2>
      <p class="pin-hint">{tl(lang, 'pinHint')}</p>
      {props.idleLocked ? (
        <p class="tech-banner" role="status" data-testid="idle-locked">
          {tl(lang, 'idleLocked')}
        </p>
      ) : null}
      {!access.pinSet ? (
        <p class="tech-banner tech-banner-warn" role="alert" data-testid="no-pin">
          {tl(lang, 'noPin')}
        </p>
      ) : null}
      <div class="pin-dots" data-testid="pin-dots" data-length={pin.length} aria-label={`${pin.length}`}>
        {pin.length === 0 ? <span class="pin-dots-empty">– – – – – –</span> : '●'.repeat(pin.length)}
      </div>
      {refusal ? (
        <p class="tech-banner tech-banner-bad" role="alert" data-testid="pin-message">
          {refusal[lang]}
        </p>
      ) : lockedOut && access.lockedUntil ? (
        <p class="tech-banner tech-banner-bad" role="alert" data-testid="pin-message">
          {tl(lang, 'lockedUntil')} {clock(access.lockedUntil)}.
        </p>
      ) : access.pinSet && access.attemptsLeft !== undefined ? (
        <p class="pin-left" data-testid="attempts-left">
          {tl(lang, 'attemptsLeft')} {access.attemptsLeft}
        </p>
      ) : null}
      <div class="pin-pad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((k) => (
          <button key={k} type="button" class="pin-key" data-testid={`pin-key-${k}`} disabled={!access.pinSet || lockedOut} onClick={() => press(k)}>
            {k}
          </button>
        ))}
        <button type="button" class="pin-key pin-key-word" data-testid="pin-delete" disabled={pin.length === 0} onClick={del}>
          {tl(lang, 'pinDelete')}
        </button>
        <button type="button" class="pin-key" data-testid="pin-key-0" disabled={!access.pinSet || lockedOut} onClick={() => press('0')}>
          0
        </button>
        <button type="button" class="pin-key pin-key-word pin-key-ok" data-testid="pin-ok" disabled={!canUnlock} onClick={submit}>
          {tl(lang, 'unlock')}
        </button>
      </div>
    </main>
  );
}
