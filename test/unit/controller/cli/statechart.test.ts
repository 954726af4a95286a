import { describe, expect, it } from 'vitest';
import { enrollmentMachine } from '../../../../controller/enrollment/machine';
import type { CliIO } from '../../../../controller/cli/io';
import { diagramName, pathOf, statechartCommand } from '../../../../controller/cli/statechart';

/**
 * The printed statechart is what reviewers read instead of the TypeScript, so it must leave
 * nothing out. These tests walk the machine's own state nodes (not the printer's reading of
 * them) and look for every transition and every action in what the command printed.
 */

async function run(mode: string): Promise<string> {
  let out = '';
  const io: CliIO = { readStdin: async () => '', out: (t) => (out += t), err: (t) => { throw new Error(`statechart wrote to stderr: ${t}`); } };
  const code = await statechartCommand([mode], io);
  expect(code).toBe(0);
  return out;
}

type StateNode = typeof enrollmentMachine.root;

function allNodes(node: StateNode): StateNode[] {
  return [node, ...Object.values(node.states).flatMap(allNodes)];
}

/** The name a chart reference carries: a string, or the `type` of `{ type, params }`. */
function named(ref: unknown, what: string, where: string): string {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'object' && ref !== null && 'type' in ref && typeof ref.type === 'string') return ref.type;
  throw new Error(`an inline ${what} in ${where}: name it in setup.ts`);
}

/** The raise/cancel pair XState adds to a state's entry/exit for each `after` delay. */
const isDelayTimer = (a: unknown): boolean =>
  typeof a === 'function' && 'type' in a && (a.type === 'xstate.raise' || a.type === 'xstate.cancel');

interface Expected {
  readonly source: StateNode;
  readonly trigger: string;
  readonly guard?: string;
  readonly actions: string[];
  readonly targets: StateNode[];
  readonly reenter: boolean;
}

function triggerOf(node: StateNode, eventType: string): string {
  const delay = node.after.find((a) => a.eventType === eventType)?.delay;
  if (delay !== undefined) return `after ${delay}`;
  if (eventType.startsWith('xstate.done.actor.')) return `done ${eventType.slice('xstate.done.actor.'.length)}`;
  if (eventType.startsWith('xstate.error.actor.')) return `error ${eventType.slice('xstate.error.actor.'.length)}`;
  if (eventType === `xstate.done.state.${node.id}`) return `${node.key} finished`;
  return eventType;
}

function expectedTransitions(): Expected[] {
  return allNodes(enrollmentMachine.root).flatMap((node) => {
    const onEvents = [...node.transitions.entries()].flatMap(([eventType, ts]) => ts.map((t) => ({ t, trigger: triggerOf(node, eventType) })));
    const eventless = (node.always ?? []).map((t) => ({ t, trigger: 'always' }));
    return [...onEvents, ...eventless].map(({ t, trigger }): Expected => {
      const where = `${node.id} on ${trigger}`;
      return {
        source: node,
        trigger,
        ...(t.guard === undefined ? {} : { guard: named(t.guard, 'guard', where) }),
        actions: t.actions.map((a) => named(a, 'action', where)),
        targets: [...(t.target ?? [])],
        reenter: t.reenter,
      };
    });
  });
}

const label = (e: Expected): string =>
  `${e.trigger}${e.guard ? ` [${e.guard}]` : ''}${e.actions.length ? ` / ${e.actions.join(', ')}` : ''}${e.reenter ? ' (re-enter)' : ''}`;

const name = (node: StateNode): string => diagramName(pathOf(node));

describe('npm run kiosk -- statechart', () => {
  it('draws every transition of the machine in --mermaid: events, always, after, invoke done/error, step done', async () => {
    const lines = (await run('--mermaid')).split('\n').map((l) => l.trim());
    const arrows = lines.filter((l) => / --> .* : /.test(l));
    const expected = expectedTransitions().flatMap((e) => (e.targets.length ? e.targets : [e.source]).map((t) => `${name(e.source)} --> ${name(t)} : ${label(e)}`));
    const missing = [...arrows];
    for (const line of expected) {
      const at = missing.indexOf(line);
      expect(at, `missing from the diagram: ${line}`).toBeGreaterThanOrEqual(0);
      missing.splice(at, 1);
    }
    expect(missing, 'arrows the machine does not have').toEqual([]);
    // The kinds the old diagram dropped are all there.
    for (const kind of [': always [', ': after idleTimeout', ': after promptTimeout / abandonSession', ': done printReceipt', ': error submitEnrollment', ': FINGER_PROGRESS / showFingerProgress']) {
      expect(arrows.some((l) => l.includes(kind)), kind).toBe(true);
    }
  });

  it('notes every entry and exit action and every invoked actor in --mermaid', async () => {
    const lines = (await run('--mermaid')).split('\n').map((l) => l.trim());
    for (const node of allNodes(enrollmentMachine.root)) {
      const entry = node.entry.filter((a) => !isDelayTimer(a)).map((a) => named(a, 'action', `${node.id} entry`));
      const exit = node.exit.filter((a) => !isDelayTimer(a)).map((a) => named(a, 'action', `${node.id} exit`));
      if (entry.length) expect(lines).toContain(`note right of ${name(node)} : entry / ${entry.join(', ')}`);
      if (exit.length) expect(lines).toContain(`note right of ${name(node)} : exit / ${exit.join(', ')}`);
      for (const inv of node.invoke) expect(lines).toContain(`note right of ${name(node)} : invokes ${inv.id} (${String(inv.src)})`);
    }
  });

  it('uses every action and guard named in setup, and --mermaid, --outline and --json all name them', async () => {
    const outputs = await Promise.all(['--mermaid', '--outline', '--json'].map(run));
    const actions = Object.keys(enrollmentMachine.implementations.actions);
    const guards = Object.keys(enrollmentMachine.implementations.guards);
    expect(actions.length).toBeGreaterThan(30);
    for (const out of outputs) {
      for (const a of actions) expect(out, `action ${a}`).toMatch(new RegExp(`\\b${a}\\b`));
      for (const g of guards) expect(out, `guard ${g}`).toMatch(new RegExp(`\\b${g}\\b`));
    }
  });

  it('lists every transition in --outline and --json as well', async () => {
    const [outline, json] = await Promise.all(['--outline', '--json'].map(run));
    for (const e of expectedTransitions()) {
      expect(outline).toContain(label(e));
      expect(json).toContain(JSON.stringify(e.trigger));
    }
  });
});
