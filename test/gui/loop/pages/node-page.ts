/**
 * Browser test page: the loop panel bound to the real plugin node (loaded
 * from the built dist/ on another origin), through the SDK's host.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';
import { LOOP_PANEL_TAG } from '../../../../gui/loop/loop-panel.ts';

Object.assign(window, { initializeWamHost, LOOP_PANEL_TAG, nodePageReady: true });
