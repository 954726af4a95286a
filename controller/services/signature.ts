import { renderSignaturePng, SIGNATURE_PNG_SIZE } from '../capture/signature-render';
import { validateSignature } from '../capture/signature-validate';
import type { SignatureOutcome } from '../enrollment/context';
import type { CheckSignatureInput } from '../enrollment/machine';

/** Validate the strokes drawn on the page, then render them to the packet's PNG. */
export async function checkSignature(input: CheckSignatureInput): Promise<SignatureOutcome> {
  const verdict = validateSignature(input.strokes, input.box);
  if (!verdict.ok) return { kind: 'invalid', error: verdict.message };
  const png = await renderSignaturePng(input.strokes, input.box, SIGNATURE_PNG_SIZE);
  return { kind: 'valid', png, width: SIGNATURE_PNG_SIZE.width, height: SIGNATURE_PNG_SIZE.height, strokeCount: input.strokes.length };
}
