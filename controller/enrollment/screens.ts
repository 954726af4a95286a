import type { FingerPhase, Screen, StepName, ViewModel } from '../../domain/kiosk-channel/view-model';

/**
 * What each state of the statechart shows, declared on the state itself (its `meta`), so the
 * view reads the declaration instead of matching state names: a renamed or moved state keeps
 * its screen, and a new state without one fails the path tests (test/unit/controller/enrollment/machine.paths.test.ts).
 */

type PhaseOf<N extends Screen['name']> = Extract<Screen, { name: N }> extends { readonly phase: infer P } ? P : never;

export type ScreenDeclaration =
  | { readonly name: 'document'; readonly phase: PhaseOf<'document'> }
  /** `capturing` shows `place` until the sensor reports upload progress, then `uploading`. */
  | { readonly name: 'fingerprints'; readonly phase: Exclude<FingerPhase, 'place' | 'uploading'> | 'capturing' }
  | { readonly name: 'face'; readonly phase: PhaseOf<'face'> }
  /**
   * `staffCalled`: the panel's help button was pressed before anyone started; `asleep`: nobody has
   * come near for a while (the panel's PIR wakes it).
   */
  | { readonly name: 'attract'; readonly staffCalled?: true; readonly asleep?: true; readonly invitationRefused?: true }
  | { readonly name: 'case'; readonly phase: PhaseOf<'case'> }
  | { readonly name: 'guardian'; readonly phase: PhaseOf<'guardian'> }
  /** `maintenance`: a technician took the kiosk out of service (the service screen). */
  | { readonly name: 'out-of-service'; readonly maintenance?: true }
  | { readonly name: Exclude<Screen['name'], 'document' | 'fingerprints' | 'face' | 'attract' | 'out-of-service' | 'case' | 'guardian'> };

export type OverlayName = NonNullable<ViewModel['overlay']>['name'];

// A type alias, not an interface: XState's meta must be assignable to a string-keyed record.
export type StateMeta = {
  /** The screen shown while this state is active. */
  readonly screen?: ScreenDeclaration;
  /** The step lit in the progress header while this state, or a state inside it, is active. */
  readonly step?: StepName;
  /** Shown above the screen while this state is active. */
  readonly overlay?: OverlayName;
  /**
   * This state leaves by itself after the named delay: the view says how many seconds are left,
   * by the controller's clock (runtime.ts tracks when the state was entered).
   */
  readonly countdown?: CountdownDelay;
};

export type CountdownDelay = 'promptTimeout' | 'doneTimeout';
