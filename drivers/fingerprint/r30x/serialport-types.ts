/**
 * serialport's helper packages declare "exports" without a "types" condition, so under
 * `moduleResolution: Bundler` TypeScript cannot see their declarations by package name (it
 * would silently type them `any`). We import the declaration files by path instead: types
 * only, erased at build time, nothing loaded at run time.
 */
export type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '../../../node_modules/@serialport/bindings-interface/dist/index';
export type { MockBindingInterface, MockPortBinding } from '../../../node_modules/@serialport/binding-mock/dist/index';
