// Lint: typescript-eslint's recommended rules plus the one-way import rule of the architecture
// (model → regimen → engine → pool → population → bayes → design → report → cli|web).
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), 'src');

/**
 * Every folder of src/ has a rank; a file may import only from its own rank or below. Files at the
 * top of src/ are the foundation (abi, errors: rank 0) or the package entry (index: above all).
 * A folder missing here is itself an error, so a new folder cannot slip past the rule.
 */
export const rank = {
  '.': 0,
  clinical: 0,
  stats: 0,
  model: 1,
  regimen: 2,
  engine: 3,
  pool: 4,
  population: 5,
  bayes: 6,
  replicate: 6,
  design: 7,
  vpc: 7,
  report: 8,
  cli: 9,
  web: 9,
  browser: 10,
  'index.ts': 10,
};
const flow = 'model → regimen → engine → pool → population → bayes|replicate → design|vpc → report → cli|web';

/** The layer of an absolute path inside src/ ('.' for the files at its top), or null outside src/. */
function layerOf(abs) {
  const rel = relative(root, abs);
  if (rel.startsWith('..') || rel === '' || resolve(root, rel) !== abs) return null;
  const parts = rel.split(sep);
  if (parts.length === 1) return parts[0] === 'index.ts' ? 'index.ts' : '.';
  return parts[0];
}

/** Forbids a src/ file from importing a later layer, by resolved path, in every import form. */
const boundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = resolve(context.filename);
    const own = layerOf(file);
    if (own === null) return {};
    const check = (node, source) => {
      if (own !== null && rank[own] === undefined) {
        context.report({ node, message: `src/${own} has no rank in eslint.config.js: give the new folder its place in ${flow}` });
        return;
      }
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.')) return; // packages
      const target = resolve(dirname(file), spec);
      const layer = layerOf(target);
      if (layer === null) {
        const outside = relative(resolve(root, '..'), target).split(sep)[0];
        if (outside === 'test' || outside === 'bench')
          context.report({ node, message: `src/ must not import ${outside}/ (${spec})` });
        return;
      }
      if (rank[layer] === undefined) return; // the folder's own file reports the missing rank
      if (rank[layer] > rank[own])
        context.report({ node, message: `src/${own} must not import src/${layer} (${spec}): data flows ${flow}` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'assembly/', 'coverage/', '**/*.d.ts', 'out/', 'docs/api/'] },
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
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
