import { z } from 'zod';
import pkg from '../../package.json';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES, FINGER_POSITIONS } from '../../domain/fingers';
import { LANGS } from '../../domain/language';
import { EXCEPTION_APPROVAL_OUTCOMES } from '../../domain/enrollment-record';
import { AGE_GROUPS, APPLICATION_CASES, INFO_CHANGES, PRIORITY_GROUPS } from '../../domain/application';

/**
 * The signed inner packet ("CCCDPKT1"): what the kiosk vouches for before sealing.
 *
 *   offset            size   field
 *   0                 8      magic "CCCDPKT1" (ASCII)
 *   8                 4      manifest length M, unsigned 32-bit big-endian
 *   12                M      manifest: JSON, UTF-8 (PacketManifest below)
 *   12+M              B      blobs back to back; each blob's `offset` counts from 12+M
 *   12+M+B            64     Ed25519 signature (kiosk key) over bytes [0, 12+M+B)
 *
 * One signature covers the manifest and every image, so nothing can be swapped or dropped
 * without breaking it; each blob also carries its sha256 in the manifest so the central server
 * can check and store images one by one after verifying once. Images stay in their own
 * compressed formats (PNG is lossless, JPEG as the camera made it): re-encoding would alter
 * biometrics.
 */
export const PACKET_MAGIC = new TextEncoder().encode('CCCDPKT1');
export const PACKET_FORMAT_VERSION = 1;
/** Which software built the packet: staff and the centre can tell kiosks' versions apart. */
export const SOFTWARE = { name: pkg.name, version: pkg.version } as const;
export const SIGNATURE_LENGTH = 64;
export const MANIFEST_OFFSET = PACKET_MAGIC.length + 4;

export const BLOB_TYPES = ['image/png', 'image/jpeg'] as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const dimension = z.number().int().positive().max(65_535);
const count = z.number().int().nonnegative().max(1_000_000);
const blobName = z.string().min(1).max(64);

const blobSchema = z.object({
  name: blobName,
  type: z.enum(BLOB_TYPES),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  sha256: sha256Hex,
});

const quality = z.number().min(0).max(100);

/**
 * Per finger. Fields added after version 1 shipped are optional, so packets made before them
 * still read: `belowThreshold`/`threshold` (staff check a print the citizen chose to keep below
 * the quality threshold) and an exception's `scope` and `proof` (the photo of the hand taken when
 * it was declared; one photo is one blob, shared by every finger the declaration covers) and its
 * `approval` by the hall's officer.
 */
const fingerSchema = z.discriminatedUnion('status', [
  z.object({
    position: z.enum(FINGER_POSITIONS),
    status: z.literal('captured'),
    score: quality,
    attempts: count,
    width: dimension,
    height: dimension,
    blob: blobName,
    belowThreshold: z.boolean().optional(),
    threshold: quality.optional(),
  }),
  z.object({
    position: z.enum(FINGER_POSITIONS),
    status: z.literal('exception'),
    reason: z.enum(FINGER_EXCEPTION_REASONS),
    attempts: count,
    scope: z.enum(FINGER_EXCEPTION_SCOPES).optional(),
    proof: z.object({ blob: blobName, width: dimension, height: dimension }).optional(),
    /** The hall officer's answer about the photo (issue #14): approved by whom, or not answered in time. */
    approval: z
      .object({
        outcome: z.enum(EXCEPTION_APPROVAL_OUTCOMES),
        officer: z.string().min(1).max(64).optional(),
        refusedBy: z.array(z.string().min(1).max(64)).max(20).optional(),
      })
      .optional(),
  }),
]);

const documentSchema = z.object({
  kind: z.string(),
  idNumber: z.string(),
  fields: z.record(z.string(), z.string()),
  flags: z.array(z.string()),
});

/**
 * Why and how the citizen applied (issue #15; docs/packet-format.md). Optional: packets built
 * before it have none (read them as case `other`, an adult, biometrics collected, signed by the
 * applicant).
 */
const applicationSchema = z.object({
  case: z.enum(APPLICATION_CASES),
  changes: z.array(z.enum(INFO_CHANGES)).max(INFO_CHANGES.length).optional(),
  invitationId: z.string().max(32).optional(),
  priority: z.enum(PRIORITY_GROUPS).optional(),
  ageGroup: z.enum(AGE_GROUPS),
  ageBasis: z.string().max(32),
  biometrics: z.enum(['collected', 'none-under-6']),
  signedBy: z.enum(['applicant', 'guardian']),
});

/** Parsing an unauthenticated manifest is never done: parse.ts checks the signature first. */
export const manifestSchema = z.object({
  format: z.literal('cccd-kiosk-packet'),
  version: z.literal(PACKET_FORMAT_VERSION),
  /** Absent in packets built before it was added. */
  software: z.object({ name: z.string().max(64), version: z.string().max(64) }).optional(),
  recordId: z.string().min(1).max(128),
  kioskId: z.string().min(1).max(128),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  startedAt: z.string(),
  completedAt: z.string(),
  language: z.enum(LANGS),
  document: documentSchema,
  /** Ten in FINGER_POSITIONS order; none when `application.biometrics` is 'none-under-6'. */
  fingers: z.array(fingerSchema).max(FINGER_POSITIONS.length),
  /** Absent only when `application.biometrics` is 'none-under-6'. */
  face: z
    .object({
      width: dimension,
      height: dimension,
      measurements: z.record(z.string(), z.union([z.number(), z.boolean()])),
      blob: blobName,
    })
    .optional(),
  signature: z.object({
    width: dimension,
    height: dimension,
    strokeCount: count,
    blob: blobName,
  }),
  blobs: z.array(blobSchema).max(64),
  application: applicationSchema.optional(),
  /** A child's application: the guardian's own document, as read (the guardian signed). */
  guardian: z.object({ document: documentSchema }).optional(),
}).superRefine((m, ctx) => {
  // Biometrics are all there, or (under 6) none are: never some.
  const none = m.application?.biometrics === 'none-under-6';
  if (none ? m.fingers.length !== 0 || m.face !== undefined : m.fingers.length !== FINGER_POSITIONS.length || m.face === undefined) {
    ctx.addIssue({ code: 'custom', path: ['fingers'], message: none ? 'a packet without biometrics has no fingers and no face' : `${FINGER_POSITIONS.length} fingers and a face expected` });
  }
});

export type PacketManifest = z.infer<typeof manifestSchema>;
export type ManifestBlob = z.infer<typeof blobSchema>;
export type BlobType = (typeof BLOB_TYPES)[number];

/** The first bytes every file of that type starts with; checked at build time. */
export const BLOB_MAGIC: Readonly<Record<BlobType, Uint8Array>> = {
  'image/png': Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  'image/jpeg': Uint8Array.of(0xff, 0xd8, 0xff),
};
