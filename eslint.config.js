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
      'src/{model,clock,constants,errors,duration,calendar,naming,retention,retention-reasons,retention-entries,listing-facts,newest-first,duplicates,plan,copy-rules,report,inputs,input-values,tag-inputs,aws-names,target-types,retention-inputs,copy-inputs,files-inputs,instance-inputs,quiesce-inputs,quiesce-report,github-run,other-sets,summary,summary-format,summary-html,summary-sections,console-links,zone-formats,chunks,manifest,file-keys,file-plan,content-retention,tar,files-report}.ts',
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
    // Time is a parameter (docs/architecture.md): only the system clock reads the machine's time.
    files: ['src/**/*.ts'],
    ignores: ['src/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Take the time from the Clock you are handed (src/clock.ts), not Date.now().',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Take the time from the Clock you are handed (src/clock.ts), not Date.now.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take the time from the Clock you are handed (src/clock.ts), not new Date().',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message:
            'Nothing in a run is random: derive the value from the run (as copy tokens are).',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
