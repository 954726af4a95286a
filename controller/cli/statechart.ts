import { enrollmentMachine } from '../enrollment/machine';
import type { CliCommand } from './io';

const USAGE = `Usage: npm run kiosk -- statechart [--outline | --mermaid | --json]

Prints the enrollment statechart for people who review it without reading TypeScript:
  --outline   every state and its transitions as an indented list (default)
  --mermaid   a Mermaid stateDiagram-v2 (renders on GitHub, GitLab and mermaid.live)
  --json      XState's JSON definition of the machine

To draw it in the Stately inspector / Studio instead, import controller/enrollment/machine.ts
there (Studio: "Import from code"); the machine is exported as \`enrollmentMachine\`.
`;

interface NodeDef {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly states: Readonly<Record<string, NodeDef>>;
  readonly transitions: ReadonlyArray<{ readonly eventType: string; readonly targets: readonly string[]; readonly guarded: boolean }>;
  readonly invokes: readonly string[];
}

const get = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? Reflect.get(o, k) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** XState's definition, read defensively into the small shape this command prints. */
function toNode(def: unknown): NodeDef {
  const states = get(def, 'states');
  return {
    id: str(get(def, 'id')),
    key: str(get(def, 'key')),
    type: str(get(def, 'type')),
    states: Object.fromEntries(Object.entries(typeof states === 'object' && states !== null ? states : {}).map(([k, v]) => [k, toNode(v)])),
    transitions: list(get(def, 'transitions')).map((t) => ({
      eventType: str(get(t, 'eventType')),
      targets: list(get(t, 'target')).map((x) => (typeof x === 'string' ? x : str(get(x, 'id')))),
      guarded: get(t, 'guard') !== undefined,
    })),
    invokes: list(get(def, 'invoke')).map((inv) => str(get(inv, 'src')) || 'actor'),
  };
}

const shortEvent = (e: string): string => {
  const after = /^xstate\.after\.(\w+)/.exec(e);
  if (after) return `after ${after[1] ?? ''}`;
  if (e === '') return 'always';
  if (e.startsWith('xstate.done.actor.')) return 'done';
  if (e.startsWith('xstate.error.actor.')) return 'error';
  if (e.startsWith('xstate.done.state.')) return 'step done';
  return e;
};
const shortId = (id: string): string => id.replace(/^#?kiosk\.?/, '').replace(/^session\.main\.flow\./, '') || 'kiosk';

function outline(node: NodeDef, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const kind = node.type === 'parallel' ? ' (parallel)' : node.type === 'final' ? ' (final)' : node.type === 'history' ? ' (history)' : '';
  out.push(`${pad}${node.key}${kind}`);
  for (const src of node.invokes) out.push(`${pad}  invokes ${src}`);
  for (const t of node.transitions) {
    const targets = t.targets.map(shortId).join(', ') || '(stays)';
    out.push(`${pad}  ${shortEvent(t.eventType)}${t.guarded ? ' [guarded]' : ''} → ${targets}`);
  }
  for (const child of Object.values(node.states)) outline(child, depth + 1, out);
}

function mermaid(node: NodeDef, out: string[], depth = 1): void {
  const pad = '  '.repeat(depth);
  const name = (id: string) => shortId(id).replace(/[^A-Za-z0-9]/g, '_') || 'kiosk';
  for (const child of Object.values(node.states)) {
    if (Object.keys(child.states).length > 0) {
      out.push(`${pad}state ${name(child.id)} {`);
      mermaid(child, out, depth + 1);
      out.push(`${pad}}`);
    }
    for (const t of child.transitions) {
      for (const target of t.targets) out.push(`${pad}${name(child.id)} --> ${name(target)} : ${shortEvent(t.eventType)}`);
    }
  }
}

export const statechartCommand: CliCommand = async (argv, io) => {
  const mode = argv[0] ?? '--outline';
  if (mode === '--help' || mode === '-h') {
    io.out(USAGE);
    return 0;
  }
  const root = toNode(enrollmentMachine.root.definition);
  if (mode === '--json') io.out(JSON.stringify(root, null, 2));
  else if (mode === '--mermaid') {
    const out = ['stateDiagram-v2', '  [*] --> attract'];
    mermaid(root, out);
    io.out(out.join('\n'));
  } else if (mode === '--outline') {
    const out: string[] = [];
    outline(root, 0, out);
    io.out(out.join('\n'));
  } else {
    io.err(`statechart: unknown option "${mode}"\n\n${USAGE}`);
    return 2;
  }
  return 0;
};
