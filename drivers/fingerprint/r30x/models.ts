/**
 * Role (r30x protocol extra): What differs between members of the family. Facts from the R307
 * and R503 manuals (see docs/facts/fingerprint-r30x.md): sensor size, the baud multipliers the firmware
 * accepts, image time.
 */
export type R30xModelName = 'R307' | 'R503';

export interface R30xModel {
  readonly name: R30xModelName;
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** Accepted N for SetSysPara parameter 4 (baud = 9600 × N). */
  readonly baudMultipliers: readonly number[];
  /** Typical GenImg time with a finger on the window (manual: R307 < 0.5 s, R503 < 0.2 s). */
  readonly genImgMs: number;
  readonly libraryCapacity: number;
  /** R503 has the ring LED (AuraLedConfig) and answers ReadProdInfo; the R307 has neither. */
  readonly hasAuraLed: boolean;
  readonly hasProdInfo: boolean;
}

export const R30X_MODELS: Readonly<Record<R30xModelName, R30xModel>> = {
  R307: {
    name: 'R307',
    imageWidth: 256,
    imageHeight: 288,
    baudMultipliers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    genImgMs: 400,
    libraryCapacity: 1000,
    hasAuraLed: false,
    hasProdInfo: false,
  },
  R503: {
    name: 'R503',
    imageWidth: 192,
    imageHeight: 192,
    baudMultipliers: [1, 2, 4, 6, 12],
    genImgMs: 150,
    libraryCapacity: 200,
    hasAuraLed: true,
    hasProdInfo: true,
  },
};

/** Recognise a model from the image size a module reports or uploads. */
export function modelForImageSize(width: number, height: number): R30xModel | undefined {
  return Object.values(R30X_MODELS).find((m) => m.imageWidth === width && m.imageHeight === height);
}

/** Recognise a model from the byte count of an uploaded image (4 bits a pixel). */
export function modelForImageBytes(bytes: number): R30xModel | undefined {
  return Object.values(R30X_MODELS).find((m) => (m.imageWidth * m.imageHeight) / 2 === bytes);
}
