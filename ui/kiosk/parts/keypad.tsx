import { useState } from 'preact/hooks';
import { groupDigits } from '../../common/format';
import { useTr } from '../context';

const MAX_DIGITS = 12;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** A large numeric keypad. The digits being typed are the page's only state until OK. */
export function Keypad({ onSubmit }: { readonly onSubmit: (digits: string) => void }) {
  const tr = useTr();
  const [digits, setDigits] = useState('');
  const add = (d: string) => setDigits((cur) => (cur.length < MAX_DIGITS ? cur + d : cur));
  const complete = digits.length === 9 || digits.length === 12;
  return (
    <div class="keypad-wrap">
      <output class="keypad-display" data-testid="keypad-display" aria-live="polite">
        {digits ? groupDigits(digits) : '\u00a0'}
        <span class="keypad-count">
          {digits.length}/{digits.length > 9 ? 12 : 9}
        </span>
      </output>
      <div class="keypad">
        {KEYS.map((k) => (
          <button type="button" key={k} class="key" data-testid={`keypad-${k}`} onClick={() => add(k)}>
            {k}
          </button>
        ))}
        <button type="button" class="key key-del" data-testid="keypad-del" onClick={() => setDigits((cur) => cur.slice(0, -1))}>
          ⌫ {tr('keypadDelete')}
        </button>
        <button type="button" class="key" data-testid="keypad-0" onClick={() => add('0')}>
          0
        </button>
        <button type="button" class="key key-ok" data-testid="keypad-ok" disabled={!complete} onClick={() => onSubmit(digits)}>
          {tr('keypadOk')}
        </button>
      </div>
    </div>
  );
}
