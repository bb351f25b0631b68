/**
 * The plugin's identity on every thread: its WAM identifier, its version and
 * the module id the processor is registered under. It lives here, not in
 * plugin/, because the audio-thread module needs it too and dsp/ imports
 * nothing from plugin/. plugin/descriptor.json carries the same identifier
 * (a test checks that they agree).
 */
import pkg from '../package.json';

/** The WAM identifier (reverse domain), as in plugin/descriptor.json. */
export const PLUGIN_IDENTIFIER = 'com.deepimprov.DeepImprov';

/** The plugin version, from package.json. */
export const VERSION: string = pkg.version;

/**
 * The id the processor is registered under and the WAM module scope key:
 * the identifier with the version, so two versions can share a host.
 */
export const MODULE_ID = `${PLUGIN_IDENTIFIER}@${VERSION}`;
