/** The page entry of the session browser's GUI test: the log kit plus `<di-session-browser>`. */
import '../../../helpers/log/browser-entry.ts';
import '../../../../gui/session-browser/session-browser.ts';
