// ESLint flat config: typescript-eslint's recommended rules, zero warnings in CI,
// and the rooms of docs/architecture.md enforced on imports.
import tseslint from 'typescript-eslint';

/** Import patterns a room may not use (relative paths resolve to these folder names). */
const TRAINING = ['**/models/training/**', '**/models/eval/**', '**/cli/**'];
const rooms = (files, group, message) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
});

/**
 * gui/ imports lit, gui/ itself, protocol/ and the plugin's public API
 * (plugin/gui-api.ts, plugin/index.ts) and nothing else. A relative path
 * leaves gui/ after as many `../` as the file is deep, so there is one rule
 * per depth (gui/index.ts is depth 1, gui/loop/x.ts depth 2, …).
 */
function guiRooms() {
  const message = 'gui/ imports only lit, gui/, protocol/ and the plugin\'s public API (plugin/gui-api.ts, plugin/index.ts)';
  const packages = { regex: '^(?!lit(/|$))[^.]', message };
  return [1, 2, 3, 4].map((depth) => ({
    files: [`gui/${'*/'.repeat(depth - 1)}*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [packages, { regex: `^(\\.\\./){${depth}}(?!protocol/|plugin/(gui-api|index)\\.ts$)`, message }],
      }],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'demo/build/**', 'node_modules/**', 'models/weights/**', 'models/checkpoints/**', '**/*.min.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  rooms(['dsp/**/*.ts', 'protocol/**/*.ts'], ['**/plugin/**', '**/gui/**', '**/log/**', '**/models/**', '**/cli/**', '**/bridge/**'],
    'the audio thread (dsp/) and protocol/ import only dsp/ and protocol/'),
  ...guiRooms(),
  rooms(['plugin/**/*.ts', 'log/**/*.ts', 'bridge/web/**/*.ts', 'models/worker.ts', 'models/runtime/**/*.ts', 'models/fast/**/*.ts', 'models/respond/**/*.ts', 'models/core/**/*.ts', 'models/representation/**/*.ts', 'models/midi/**/*.ts'],
    TRAINING, 'training, evaluation and CLI code never ships in the plugin'),
);
