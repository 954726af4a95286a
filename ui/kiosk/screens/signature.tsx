import SignaturePad from 'signature_pad';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Intent } from '../../../domain/kiosk-channel/messages';
import type { Bilingual } from '../../../domain/language';

type SignatureSubmit = Extract<Intent, { type: 'SIGNATURE_SUBMIT' }>;

/** Strokes in CSS pixels of the canvas box, times in ms from the first point. */
function toIntent(pad: SignaturePad, canvas: HTMLCanvasElement): SignatureSubmit {
  const groups = pad.toData();
  const t0 = groups[0]?.points[0]?.time ?? 0;
  const strokes = groups.slice(0, 64).map((g) =>
    g.points.slice(0, 2000).map((p) => ({
      x: p.x,
      y: p.y,
      t: Math.max(0, p.time - t0),
      ...(p.pressure > 0 && p.pressure <= 1 ? { pressure: p.pressure } : {}),
    })),
  );
  return { type: 'SIGNATURE_SUBMIT', strokes, box: { width: canvas.clientWidth, height: canvas.clientHeight } };
}

/**
 * The canvas's backing store follows the box and the screen's pixel ratio, so ink stays sharp
 * and points stay in CSS pixels; ink already drawn is kept (e.g. when the screen rotates).
 */
function fitCanvas(canvas: HTMLCanvasElement, pad: SignaturePad): void {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  const width = Math.round(canvas.offsetWidth * ratio);
  const height = Math.round(canvas.offsetHeight * ratio);
  if (width === canvas.width && height === canvas.height) return;
  const ink = pad.toData();
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')?.scale(ratio, ratio);
  pad.clear();
  if (ink.length > 0) pad.fromData(ink);
}

interface Props {
  readonly error?: Bilingual;
  /** Signatures the controller has checked on this step; `error` is about the last one. */
  readonly attempt?: number;
  /** A child's application: the guardian signs. */
  readonly signer?: 'guardian' | undefined;
}

export function SignatureScreen({ error, attempt = 0, signer }: Props) {
  const { send } = useKiosk();
  const tr = useTr();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(false);
  // The ink lives only on this pad (biometric strokes are not kept in the browser): a pad that
  // opened after the last check (a reloaded page) has none of the ink an error is about.
  const checkedBefore = useRef(attempt);
  const errorIsAboutThisInk = error !== undefined && attempt > checkedBefore.current;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { minWidth: 1.5, maxWidth: 4, penColor: '#0b1a3a', backgroundColor: 'rgba(0,0,0,0)' });
    padRef.current = pad;
    fitCanvas(canvas, pad);
    const onBegin = () => setEmpty(false);
    pad.addEventListener('beginStroke', onBegin);
    const observer = new ResizeObserver(() => fitCanvas(canvas, pad));
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      pad.removeEventListener('beginStroke', onBegin);
      pad.off();
      padRef.current = null;
    };
  }, []);

  const done = () => {
    const pad = padRef.current;
    const canvas = canvasRef.current;
    if (!pad || !canvas) return;
    if (pad.isEmpty()) {
      setEmpty(true);
      return;
    }
    send(toIntent(pad, canvas));
  };

  return (
    <ScreenFrame name="signature" title={tr(signer === 'guardian' ? 'signatureGuardianTitle' : 'signatureTitle')}>
      <p class="lead" data-testid="signature-hint" data-signer={signer ?? 'applicant'}>
        {tr(signer === 'guardian' ? 'signatureGuardianHint' : 'signatureHint')}
      </p>
      <div class="sign-box">
        <canvas ref={canvasRef} class="sign-canvas" data-testid="signature-canvas" />
        <div class="sign-line" aria-hidden="true" />
      </div>
      {empty ? <Notice testid="signature-empty">{tr('signatureEmpty')}</Notice> : null}
      {error && errorIsAboutThisInk && !empty ? <Notice testid="signature-error">{tr(error)}</Notice> : null}
      <div class="actions">
        <Button
          testid="signature-clear"
          kind="secondary"
          onClick={() => {
            padRef.current?.clear();
            setEmpty(false);
          }}
        >
          {tr('signatureClear')}
        </Button>
        <Button testid="signature-done" onClick={done}>
          {tr('signatureDone')}
        </Button>
      </div>
    </ScreenFrame>
  );
}
