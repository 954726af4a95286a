import { enrollmentMachine, type EnrollmentMachine } from '../enrollment/machine';
import type { StateMeta } from '../enrollment/screens';
import type { CliCommand } from './io';

const USAGE = `Usage: npm run kiosk -- statechart [--outline | --mermaid | --json]

Prints the enrollment statechart for people who review it without reading TypeScript:
  --outline   every state with its screen, entry/exit actions, invoked actors and transitions,
              as an indented list (default)
  --mermaid   a Mermaid stateDiagram-v2 (renders on GitHub, GitLab and mermaid.live)
  --json      the same as --outline, as JSON

Every transition is shown: events, "always" (eventless), "after <delay>" (timeouts, by the
delay's name), "done <actor>" / "error <actor>" (an invoked actor finished or failed) and
"<state> finished" (a step reached its final state), each with its guard in [brackets] and
its actions after a slash.

To draw it in the Stately inspector / Studio instead, import controller/enrollment/machine.ts
there (Studio: "Import from code"); the machine is exported as \`enrollmentMachine\`.
`;

type StateNode = EnrollmentMachine['root'];

export interface Edge {
  /** What triggers it, for people: an event type, `always`, `after <delay>`, `done <actor>`… */
  readonly trigger: string;
  readonly guard?: string;
  readonly actions: readonly string[];
  /** State paths; empty when the transition only runs its actions and stays. */
  readonly targets: readonly string[];
  readonly reenter: boolean;
}

export interface StateInfo {
  readonly path: string;
  readonly key: string;
  readonly type: StateNode['type'];
  readonly history?: 'shallow' | 'deep';
  /** The path of the child a compound state starts in. */
  readonly initial?: string;
  readonly meta?: StateMeta;
  readonly entry: readonly string[];
  readonly exit: readonly string[];
  readonly invokes: ReadonlyArray<{ readonly id: string; readonly src: string }>;
  readonly edges: readonly Edge[];
  readonly states: readonly StateInfo[];
}

const get = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null) || typeof o === 'function' ? Reflect.get(o, k) : undefined;

/** An action's name without its params; undefined for the raise/cancel XState adds for `after`. */
export function actionName(action: unknown): string | undefined {
  if (typeof action === 'string') return action;
  const type = get(action, 'type');
  const id = get(action, 'id') ?? get(action, 'sendId');
  if ((type === 'xstate.raise' || type === 'xstate.cancel') && typeof id === 'string' && id.startsWith('xstate.after.')) return undefined;
  if (typeof type === 'string') return type;
  return typeof action === 'function' && action.name ? action.name : 'inline action';
}

export function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  const type = get(guard, 'type');
  return typeof type === 'string' ? type : 'inline guard';
}

/** A state's path below the machine (`session.main.flow.review`); the machine itself is `kiosk`. */
export const pathOf = (node: { readonly path: readonly string[]; readonly id: string }): string => node.path.join('.') || node.id;

/** The trigger of a transition out of `node` on `eventType`, in words. */
export function triggerOf(node: StateNode, eventType: string): string {
  const delay = node.after.find((t) => t.eventType === eventType)?.delay;
  if (delay !== undefined) return `after ${delay}`;
  if (eventType.startsWith('xstate.done.actor.')) return `done ${eventType.slice('xstate.done.actor.'.length)}`;
  if (eventType.startsWith('xstate.error.actor.')) return `error ${eventType.slice('xstate.error.actor.'.length)}`;
  if (eventType === `xstate.done.state.${node.id}`) return `${node.key} finished`;
  return eventType;
}

const names = (actions: readonly unknown[]): string[] => actions.flatMap((a) => actionName(a) ?? []);

/** The machine's own state nodes, read into the shape this command prints. */
export function describe(node: StateNode): StateInfo {
  const transitions = [
    ...[...node.transitions.entries()].flatMap(([eventType, ts]) => ts.map((t) => ({ t, trigger: triggerOf(node, eventType) }))),
    // Eventless transitions, taken as soon as their guard holds.
    ...(node.always ?? []).map((t) => ({ t, trigger: 'always' })),
  ];
  return {
    path: pathOf(node),
    key: node.key,
    type: node.type,
    ...(node.history ? { history: node.history } : {}),
    ...(node.initial?.target[0] ? { initial: pathOf(node.initial.target[0]) } : {}),
    ...(node.meta ? { meta: node.meta } : {}),
    entry: names(node.entry),
    exit: names(node.exit),
    invokes: node.invoke.map((inv) => ({ id: inv.id, src: typeof inv.src === 'string' ? inv.src : 'inline actor' })),
    edges: transitions.map(({ t, trigger }) => {
      const guard = guardName(t.guard);
      return { trigger, ...(guard ? { guard } : {}), actions: names(t.actions), targets: (t.target ?? []).map(pathOf), reenter: t.reenter };
    }),
    states: Object.values(node.states).map(describe),
  };
}

export function edgeLabel(e: Edge): string {
  return `${e.trigger}${e.guard ? ` [${e.guard}]` : ''}${e.actions.length ? ` / ${e.actions.join(', ')}` : ''}${e.reenter ? ' (re-enter)' : ''}`;
}

function screenLabel(meta: StateMeta | undefined): string {
  const parts = [
    ...(meta?.screen ? [`screen ${meta.screen.name}${'phase' in meta.screen ? ` (${meta.screen.phase})` : ''}`] : []),
    ...(meta?.step ? [`step ${meta.step}`] : []),
    ...(meta?.overlay ? [`overlay ${meta.overlay}`] : []),
  ];
  return parts.length ? `  [${parts.join(', ')}]` : '';
}

function outline(s: StateInfo, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const kind = s.type === 'parallel' ? ' (parallel)' : s.type === 'final' ? ' (final)' : s.type === 'history' ? ` (${s.history ?? 'shallow'} history)` : '';
  out.push(`${pad}${s.key || s.path}${kind}${screenLabel(s.meta)}`);
  if (s.entry.length) out.push(`${pad}  entry / ${s.entry.join(', ')}`);
  if (s.exit.length) out.push(`${pad}  exit / ${s.exit.join(', ')}`);
  for (const inv of s.invokes) out.push(`${pad}  invokes ${inv.id} (${inv.src})`);
  for (const e of s.edges) out.push(`${pad}  ${edgeLabel(e)} → ${e.targets.map(shortPath).join(', ') || '(stays)'}`);
  for (const child of s.states) outline(child, depth + 1, out);
}

/** Paths under the flow are unique without their `session.main.flow.` prefix. */
const shortPath = (path: string): string => path.replace(/^session\.main\.flow\./, '');

/** A Mermaid state id for a path: letters, digits and underscores only. */
export const diagramName = (path: string): string => shortPath(path).replace(/[^A-Za-z0-9]/g, '_');

function mermaid(s: StateInfo, out: string[], depth: number): void {
  const pad = '  '.repeat(depth);
  const name = diagramName(s.path);
  if (s.type === 'history') out.push(`${pad}state "${s.key} (${s.history ?? 'shallow'} history)" as ${name}`);
  else if (s.states.length === 0) out.push(`${pad}${name}${s.meta ? ` :${screenLabel(s.meta).replace(/^ *\[|\]$/g, ' ').trimEnd()}` : ''}`);
  if (s.states.length > 0) {
    out.push(`${pad}state ${name} {`);
    if (s.initial) out.push(`${pad}  [*] --> ${diagramName(s.initial)}`);
    s.states.forEach((child, i) => {
      // The regions of a parallel state run side by side: Mermaid separates them with `--`.
      if (s.type === 'parallel' && i > 0) out.push(`${pad}  --`);
      mermaid(child, out, depth + 1);
    });
    out.push(`${pad}}`);
  }
  if (s.type === 'final') out.push(`${pad}${name} --> [*]`);
  const notes = [
    ...(s.entry.length ? [`entry / ${s.entry.join(', ')}`] : []),
    ...(s.exit.length ? [`exit / ${s.exit.join(', ')}`] : []),
    ...s.invokes.map((inv) => `invokes ${inv.id} (${inv.src})`),
  ];
  for (const note of notes) out.push(`${pad}note right of ${name} : ${note}`);
  for (const e of s.edges) {
    const targets = e.targets.length ? e.targets : [s.path];
    for (const t of targets) out.push(`${pad}${name} --> ${diagramName(t)} : ${edgeLabel(e)}`);
  }
}

export function toMermaid(root: StateInfo): string {
  const out = ['stateDiagram-v2', `  [*] --> ${diagramName(root.path)}`];
  mermaid(root, out, 1);
  return out.join('\n');
}

export function toOutline(root: StateInfo): string {
  const out: string[] = [];
  outline(root, 0, out);
  return out.join('\n');
}

export const statechartCommand: CliCommand = async (argv, io) => {
  const mode = argv[0] ?? '--outline';
  if (mode === '--help' || mode === '-h') {
    io.out(USAGE);
    return 0;
  }
  const root = describe(enrollmentMachine.root);
  if (mode === '--json') io.out(JSON.stringify(root, null, 2));
  else if (mode === '--mermaid') io.out(toMermaid(root));
  else if (mode === '--outline') io.out(toOutline(root));
  else {
    io.err(`statechart: unknown option "${mode}"\n\n${USAGE}`);
    return 2;
  }
  return 0;
};
