import { useKiosk, useTr } from '../context';

/**
 * On every screen (issue #15): "larger text, stronger contrast", and the spoken prompt again or
 * muted. Both settings are the controller's, for this citizen only (reset for the next one).
 */
export function AccessButtons({ replay }: { readonly replay: () => void }) {
  const { send, largeText, voiceMuted } = useKiosk();
  const tr = useTr();
  return (
    <div class="access-buttons" role="group">
      <button
        type="button"
        class={`btn btn-secondary btn-header btn-access${largeText ? ' btn-on' : ''}`}
        data-testid="large-text"
        aria-pressed={largeText ? 'true' : 'false'}
        onClick={() => send({ type: 'SET_LARGE_TEXT', on: !largeText })}
      >
        <svg class="access-icon" viewBox="0 0 40 32" aria-hidden="true">
          <text x="0" y="27" font-size="20" font-weight="700" fill="currentColor">A</text>
          <text x="13" y="29" font-size="32" font-weight="700" fill="currentColor">A</text>
        </svg>
        <span>{tr('largeText')}</span>
      </button>
      <button type="button" class="btn btn-secondary btn-header btn-access" data-testid="voice-replay" disabled={voiceMuted} onClick={replay}>
        <svg class="access-icon" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M4 12h6l8-7v22l-8-7H4z" fill="currentColor" />
          <path d="M22 10a8 8 0 0 1 0 12M25 6a13 13 0 0 1 0 20" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
        </svg>
        <span>{tr('voiceReplay')}</span>
      </button>
      <button
        type="button"
        class={`btn btn-secondary btn-header btn-access${voiceMuted ? ' btn-on' : ''}`}
        data-testid="voice-mute"
        aria-pressed={voiceMuted ? 'true' : 'false'}
        onClick={() => send({ type: 'SET_VOICE', muted: !voiceMuted })}
      >
        <svg class="access-icon" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M4 12h6l8-7v22l-8-7H4z" fill="currentColor" />
          {voiceMuted ? (
            <path d="M22 12l8 8M30 12l-8 8" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
          ) : (
            <path d="M22 10a8 8 0 0 1 0 12" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
          )}
        </svg>
        <span>{tr(voiceMuted ? 'voiceUnmute' : 'voiceMute')}</span>
      </button>
    </div>
  );
}
