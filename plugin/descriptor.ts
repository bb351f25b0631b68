/**
 * The plugin's WAM descriptor. The SDK does not load descriptor.json by
 * itself, so it is set in code; `npm run build` also writes the same object
 * to dist/descriptor.json for hosts that read it. The identifier, version and
 * module id live in protocol/module-id.ts (the audio thread needs them too).
 */
import type { WamDescriptor } from '@webaudiomodules/api';
import base from './descriptor.json';
import { VERSION } from '../protocol/module-id.ts';

/** The full WAM descriptor, with the package version. */
export const DESCRIPTOR: WamDescriptor = { ...base, version: VERSION };
