import { describe, expect, it } from 'vitest';
import { DEVICE_NAMES, DEVICE_STATE_NAMES, EXCEPTION_REASON_NAMES, FINGER_NAMES, LABELS, STEP_LABELS } from '../../../ui/common/i18n';

const tables = { LABELS, STEP_LABELS, FINGER_NAMES, EXCEPTION_REASON_NAMES, DEVICE_NAMES, DEVICE_STATE_NAMES };

describe('kiosk labels', () => {
  for (const [name, table] of Object.entries(tables)) {
    it(`${name}: every label has Vietnamese and English text, in NFC`, () => {
      for (const [key, text] of Object.entries(table)) {
        expect(text.vi.trim(), `${name}.${key}.vi`).not.toBe('');
        expect(text.en.trim(), `${name}.${key}.en`).not.toBe('');
        expect(text.vi, `${name}.${key}.vi is NFC`).toBe(text.vi.normalize('NFC'));
      }
    });
  }

  it('names fingers the way Vietnamese forms do', () => {
    expect(FINGER_NAMES.right_ring.vi).toBe('ngón áp út phải');
    expect(FINGER_NAMES.left_thumb.vi).toBe('ngón cái trái');
  });
});
