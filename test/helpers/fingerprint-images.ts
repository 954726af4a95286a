/**
 * Fingerprint images for tests of the quality and matching checks: the same generator the
 * simulated R30x sensor presents, so the checks are tested on what `npm start` shows them.
 * (controller/capture/ may not import from drivers/; a test helper may.)
 */
export { synthBlank, synthFingerprint } from '../../drivers/fingerprint/fingerprint-synth';
