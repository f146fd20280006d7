// Lint: typescript-eslint's recommended rules plus the one-way import rule of the architecture
// (model → regimen → engine → pool → population|bayes|design → cli|web).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = ['model', 'regimen', 'engine', 'pool', 'population', 'bayes', 'design', 'cli', 'web'];
const rank = { clinical: 0, stats: 0, model: 1, regimen: 2, engine: 3, pool: 4, population: 5, bayes: 6, design: 7, cli: 8, web: 8 };

/** Forbids a src/<layer> file from importing a later layer. */
const boundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const m = /src\/([a-z]+)\//.exec(context.filename.replace(/\\/g, '/'));
    const own = m ? rank[m[1]] : undefined;
    if (own === undefined) return {};
    return {
      ImportDeclaration(node) {
        const t = /^\.\.\/([a-z]+)\//.exec(node.source.value);
        if (t && rank[t[1]] !== undefined && rank[t[1]] > own)
          context.report({ node, message: `src/${m[1]} must not import src/${t[1]} (data flows ${layers.join(' → ')})` });
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'assembly/', 'coverage/', '**/*.d.ts', 'out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { dosewise: { rules: { boundaries } } },
    rules: {
      'dosewise/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
