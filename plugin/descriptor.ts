/**
 * The plugin's WAM descriptor. The SDK does not load descriptor.json by
 * itself, so it is set in code; `npm run build` also writes the same object
 * to dist/descriptor.json for hosts that read it.
 */
import type { WamDescriptor } from '@webaudiomodules/api';
import base from './descriptor.json';
import pkg from '../package.json';

/** The plugin version, from package.json. */
export const VERSION: string = pkg.version;

/** The full WAM descriptor, with the package version. */
export const DESCRIPTOR: WamDescriptor = { ...base, version: VERSION };

/**
 * The id the processor is registered under and the WAM module scope key:
 * the identifier with the version, so two versions can share a host.
 */
export const MODULE_ID = `${DESCRIPTOR.identifier}@${VERSION}`;
