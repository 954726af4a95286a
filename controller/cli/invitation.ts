import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { CliCommand, CliIO } from './io';
import { KeyFileError } from '../packet/keyfile';
import { todayIso, addDays } from '../documents/dates';
import { initInvitationKey, loadInvitationSigner, makeInvitation } from '../invitations/sign';
import { base32, payloadProblem } from '../invitations/format';
import { APPLICATION_CASES, PRIORITY_GROUPS, type ApplicationCase, type PriorityGroup } from '../../domain/application';

const MAKE_USAGE = `Usage: npm run kiosk -- invitation make --id-number N --case CASE --key FILE [options]

Issues one invitation (giấy mời) as the police station does: prints the text of its QR code
(docs/invitation-format.md), signed with the station's invitation key.

  --id-number N     the invited person's 12-digit personal ID number (or a 9-digit old CMND)
  --case CASE       ${APPLICATION_CASES.join(' | ')}
  --key FILE        the station's private invitation key (from "invitation keys init")
  --priority P      ${PRIORITY_GROUPS.join(' | ')} (default none)
  --valid-days N    valid from today for N days, today included (default 30)
  --valid-from D    first valid day, yyyy-mm-dd (default today in Vietnam)
  --station S       the issuing station, A–Z 0–9 . - (default CAP)
  --id ID           the invitation id, A–Z 0–9 - (default a random one)
  --png FILE        also write the QR code as a PNG
  --json            print the fields and the QR text as JSON

Exit codes: 0 made, 1 the key is missing or unusable, 2 bad usage.
`;

const KEYS_USAGE = `Usage: npm run kiosk -- invitation keys init --dir DIR

Creates the station's invitation key if DIR has none: DIR/invitation-ed25519.pem (private,
0600; keep it at the station) and DIR/invitation-ed25519.pub.pem (public: list its path in
each kiosk's config, invitations.publicKeys). Prints the key id and the public key.
`;

export const INVITATION_KEY_FILE = 'invitation-ed25519.pem';
export const INVITATION_PUBLIC_KEY_FILE = 'invitation-ed25519.pub.pem';

interface MakeOptions {
  idNumber?: string;
  case?: string;
  key?: string;
  priority: string;
  validDays: number;
  validFrom?: string;
  station: string;
  id?: string;
  png?: string;
  json: boolean;
}

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; options: MakeOptions };

function parseMake(argv: readonly string[]): Parsed {
  const o: MakeOptions = { priority: 'none', validDays: 30, station: 'CAP', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => {
      const v = argv[++i];
      return v === undefined || v.startsWith('--') ? undefined : v;
    };
    const need = (name: string): string | Parsed => value() ?? { kind: 'error', message: `${name} needs a value` };
    let v: string | Parsed;
    switch (a) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--json':
        o.json = true;
        continue;
      case '--id-number':
      case '--case':
      case '--key':
      case '--priority':
      case '--valid-days':
      case '--valid-from':
      case '--station':
      case '--id':
      case '--png':
        v = need(a);
        if (typeof v !== 'string') return v;
        if (a === '--id-number') o.idNumber = v;
        else if (a === '--case') o.case = v;
        else if (a === '--key') o.key = v;
        else if (a === '--priority') o.priority = v;
        else if (a === '--valid-days') o.validDays = Number(v);
        else if (a === '--valid-from') o.validFrom = v;
        else if (a === '--station') o.station = v;
        else if (a === '--id') o.id = v;
        else o.png = v;
        continue;
      default:
        return { kind: 'error', message: `unknown option "${a ?? ''}"` };
    }
  }
  if (!o.idNumber) return { kind: 'error', message: '--id-number is required' };
  if (!o.case) return { kind: 'error', message: '--case is required' };
  if (!o.key) return { kind: 'error', message: '--key is required' };
  if (!Number.isInteger(o.validDays) || o.validDays < 1 || o.validDays > 366) return { kind: 'error', message: '--valid-days must be a whole number from 1 to 366' };
  return { kind: 'run', options: o };
}

const isCase = (c: string): c is ApplicationCase => (APPLICATION_CASES as readonly string[]).includes(c);
const isPriority = (p: string): p is PriorityGroup => (PRIORITY_GROUPS as readonly string[]).includes(p);

/** `invitation make`: one signed invitation, as QR text (and a PNG when asked). */
export const invitationMakeCommand: CliCommand = async (argv, io) => {
  const p = parseMake(argv);
  if (p.kind === 'help') return (io.out(MAKE_USAGE), 0);
  if (p.kind === 'error') return (io.err(`invitation make: ${p.message}\n\n${MAKE_USAGE}`), 2);
  const o = p.options;
  const kase = o.case ?? '';
  if (!isCase(kase)) return (io.err(`invitation make: --case must be one of ${APPLICATION_CASES.join(', ')}`), 2);
  if (!isPriority(o.priority)) return (io.err(`invitation make: --priority must be one of ${PRIORITY_GROUPS.join(', ')}`), 2);
  const validFrom = o.validFrom ?? todayIso(new Date());
  const validUntil = addDays(validFrom, o.validDays - 1);
  if (validUntil === undefined) return (io.err('invitation make: --valid-from must be a real day, yyyy-mm-dd'), 2);
  const fields = {
    id: (o.id ?? `GM-${base32(randomBytes(5))}`).toUpperCase(),
    idNumber: o.idNumber ?? '',
    case: kase,
    priority: o.priority,
    validFrom,
    validUntil,
    station: o.station.toUpperCase(),
  };
  const problem = payloadProblem({ ...fields, keyId: '0000000000000000' });
  if (problem) return (io.err(`invitation make: ${problem}`), 2);
  let text: string;
  try {
    text = makeInvitation(fields, await loadInvitationSigner(o.key ?? ''));
  } catch (e) {
    if (e instanceof KeyFileError) return (io.err(`invitation make: ${e.message}`), 1);
    throw e;
  }
  // Alphanumeric mode: every character of the text is in the QR code's alphanumeric set.
  if (o.png) await writeFile(o.png, await QRCode.toBuffer([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', margin: 4, scale: 8 }));
  io.out(o.json ? JSON.stringify({ ...fields, qr: text, ...(o.png ? { png: o.png } : {}) }) : text);
  return 0;
};

/** `invitation keys init --dir DIR`. */
export const invitationKeysCommand: CliCommand = async (argv, io: CliIO) => {
  if (argv.includes('--help') || argv.includes('-h')) return (io.out(KEYS_USAGE), 0);
  const [action, flag, dir, ...rest] = argv;
  if (action !== 'init' || flag !== '--dir' || !dir || rest.length > 0) return (io.err(`invitation keys: say "init --dir DIR"\n\n${KEYS_USAGE}`), 2);
  try {
    const r = await initInvitationKey(join(dir, INVITATION_KEY_FILE));
    await writeFile(join(dir, INVITATION_PUBLIC_KEY_FILE), r.publicPem);
    io.out(`${r.created ? 'created' : 'exists'}: ${join(dir, INVITATION_KEY_FILE)}\npublic key: ${join(dir, INVITATION_PUBLIC_KEY_FILE)}\nkey id: ${r.signer.keyId}\n${r.publicPem}`);
    return 0;
  } catch (e) {
    if (e instanceof KeyFileError) return (io.err(`invitation keys: ${e.message}`), 1);
    throw e;
  }
};
