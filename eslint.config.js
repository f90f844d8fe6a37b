// Flat config: typescript-eslint's recommended type-aware rules for src/ and tests, plain JS rules for scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'build/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The house rule of docs/architecture.md: the pure core imports nothing from the adapters, the
    // AWS SDK or the runner's toolkit.
    files: [
      'src/{model,constants,errors,duration,calendar,naming,retention,plan,report,inputs,input-values,aws-names,target-types,retention-inputs,copy-inputs}.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/targets/*', '**/targets'],
              message:
                'The pure core imports nothing from the adapters (src/targets/): move the record to src/model.ts.',
            },
            {
              group: ['@aws-sdk/*', '@smithy/*'],
              message:
                'The pure core never sees the AWS SDK: adapters translate into the records of src/model.ts.',
            },
            {
              group: ['@actions/*'],
              message:
                'The pure core does no I/O: the runner is reached from main.ts and report-writer.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
