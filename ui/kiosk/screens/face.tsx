import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type FaceView = Extract<Screen, { name: 'face' }>;

/** 3, 2, 1 in large type, then "taking the photo": the citizen holds still until it is taken. */
function Countdown({ seconds }: { readonly seconds: number }) {
  const tr = useTr();
  if (seconds <= 0) {
    return (
      <div class="face-countdown face-countdown-taking" data-testid="face-countdown" aria-live="assertive">
        <span class="face-countdown-label">{tr('faceTakingPhoto')}</span>
      </div>
    );
  }
  return (
    <div class="face-countdown" data-testid="face-countdown" aria-live="assertive">
      <span class="face-countdown-label">{tr('faceCountdown')}</span>
      <span class="face-countdown-number" data-testid="face-countdown-number" key={seconds}>
        {seconds}
      </span>
    </div>
  );
}

export function FaceScreen({ view }: { readonly view: FaceView }) {
  const { send } = useKiosk();
  const tr = useTr();
  const passed = view.checks.filter((c) => c.pass).length;
  const attempt = (
    <p class="finger-facts" data-testid="face-attempt">
      {tr('attempt')} {view.attempt} {tr('of')} {view.maxAttempts}
    </p>
  );
  if (view.phase === 'captured') {
    // At the limit the photo shown is the one the kiosk kept; the citizen uses it or calls staff.
    const atLimit = view.retakesLeft <= 0;
    return (
      <ScreenFrame name="face" columns class="face-layout">
        <div class="col col-photo">
          <img class="face-photo" data-testid="face-photo" src={`/session/face.jpg?rev=${view.photoRev}`} alt={tr('faceCapturedTitle')} />
        </div>
        <div class="col">
          <h1 class="screen-title">{tr(atLimit ? 'faceLastTitle' : 'faceCapturedTitle')}</h1>
          {view.notice ? <Notice testid="face-limit">{tr(view.notice)}</Notice> : view.guidance ? <p class="guidance">{tr(view.guidance)}</p> : null}
          {attempt}
          <div class="actions actions-stack">
            <Button testid="face-accept" huge onClick={() => send({ type: 'FACE_ACCEPT' })}>
              {tr('faceAccept')}
            </Button>
            {atLimit ? (
              <Button testid="face-help" kind="secondary" onClick={() => send({ type: 'HELP' })}>
                {tr('callStaff')}
              </Button>
            ) : (
              <Button testid="face-retake" kind="secondary" onClick={() => send({ type: 'FACE_RETAKE' })}>
                {tr('faceRetake')}
              </Button>
            )}
          </div>
        </div>
      </ScreenFrame>
    );
  }
  return (
    <ScreenFrame name="face" columns class="face-layout">
      <div class="col col-photo">
        {view.phase === 'live' ? (
          <div class="preview">
            <img class="preview-img" data-testid="face-preview" src="/camera/preview.mjpg" alt="" />
            {/* Sliced like the picture is covered (object-fit), so a square preview (portrait) keeps the oval on the face. */}
            <svg class="oval" viewBox="0 0 400 300" preserveAspectRatio="xMidYMid slice" aria-hidden="true">
              <path
                d="M0 0H400V300H0Z M122 140a78 112 0 1 0 156 0a78 112 0 1 0 -156 0Z"
                fill="#000"
                fill-opacity="0.5"
                fill-rule="evenodd"
              />
              <ellipse
                cx="200"
                cy="140"
                rx="78"
                ry="112"
                fill="none"
                stroke={view.countdown !== undefined ? '#22c55e' : '#ffffff'}
                stroke-width={view.countdown !== undefined ? 8 : 4}
                stroke-dasharray={view.countdown !== undefined ? undefined : '10 6'}
              />
            </svg>
          </div>
        ) : (
          <div class="preview preview-off" data-testid="face-no-camera">
            <svg viewBox="0 0 120 90" class="no-camera" aria-hidden="true">
              <rect x="10" y="22" width="80" height="56" rx="10" fill="none" stroke="#6b7280" stroke-width="6" />
              <path d="M90 40l20-12v44l-20-12z" fill="#6b7280" />
              <circle cx="50" cy="50" r="14" fill="none" stroke="#6b7280" stroke-width="6" />
              <path d="M8 8l104 74" stroke="#a3161a" stroke-width="8" stroke-linecap="round" />
            </svg>
          </div>
        )}
      </div>
      <div class="col" data-checks-passed={passed} data-checks-total={view.checks.length}>
        <h1 class="screen-title">{tr('faceTitle')}</h1>
        {view.phase === 'fault' ? (
          <>
            <Notice testid="face-fault">{view.guidance ? tr(view.guidance) : tr('faceFault')}</Notice>
            <div class="actions">
              <Button testid="face-retake" onClick={() => send({ type: 'FACE_RETAKE' })}>
                {tr('faceRetake')}
              </Button>
              <Button testid="face-help" kind="secondary" onClick={() => send({ type: 'HELP' })}>
                {tr('callStaff')}
              </Button>
            </div>
          </>
        ) : view.countdown !== undefined ? (
          <Countdown seconds={view.countdown} />
        ) : (
          <p class="guidance" data-testid="face-guidance" aria-live="polite">
            {view.guidance ? tr(view.guidance) : tr('faceLook')}
          </p>
        )}
        {view.phase === 'live' && view.countdown === undefined ? <p class="lead">{tr('faceAuto')}</p> : null}
        {attempt}
      </div>
    </ScreenFrame>
  );
}
