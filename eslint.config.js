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
  rooms(['gui/**/*.ts'], ['**/models/**', '**/dsp/processor*', '**/dsp/loop/**', '**/dsp/core/**', '**/cli/**', '**/plugin/worker-client*', '**/plugin/midi/**'],
    'the GUI talks to the node\'s public API, not to the worker, the audio thread or the models'),
  rooms(['plugin/**/*.ts', 'log/**/*.ts', 'bridge/web/**/*.ts', 'models/worker.ts', 'models/runtime/**/*.ts', 'models/fast/**/*.ts', 'models/respond/**/*.ts', 'models/core/**/*.ts', 'models/representation/**/*.ts', 'models/midi/**/*.ts'],
    TRAINING, 'training, evaluation and CLI code never ships in the plugin'),
);
