import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'url', 'util', 'stream', 'http', 'https', 'net', 'zlib', 'worker_threads']
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'Node', 'DOMParser', 'fetch', 'XMLHttpRequest']

/** Builds a no-restricted-imports rule from import patterns and a reason. */
function forbid(patterns, message) {
  return ['error', { patterns: [{ group: patterns, message }] }]
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.native/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off'
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] }, globals: { ...globals.browser } }
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // The shared layer is plain TypeScript that everyone may import: nothing of ours outside it, no platform.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': forbid(
        ['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'electron/*', 'node:*', ...NODE_BUILTINS, 'svelte', 'svelte/*', '@tiptap/*', 'better-sqlite3'],
        'src/shared must stay plain TypeScript: no electron, node:, DOM, svelte, or imports from main/renderer/preload.'
      ),
      'no-restricted-globals': ['error', ...DOM_GLOBALS.map((name) => ({ name, message: 'src/shared must not use the DOM.' }))]
    }
  },
  {
    // The renderer is a sandboxed web page: it never reaches into the main process or Node.
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': forbid(
        ['**/main/**', '**/preload/**', 'electron', 'electron/*', 'node:*', ...NODE_BUILTINS, 'better-sqlite3'],
        'The renderer never imports src/main, src/preload, electron or node: modules; it talks to main through lib/api.ts.'
      ),
      'no-restricted-properties': ['error', { object: 'window', property: 'api', message: 'Only src/renderer/src/lib/api.ts touches window.api.' }]
    }
  },
  {
    files: ['src/renderer/src/lib/api.ts'],
    rules: { 'no-restricted-properties': 'off' }
  },
  {
    // Behaviour and storage run in plain Node (tests, the e2e harness, the crash loop): no Electron.
    files: ['src/main/services/**', 'src/main/db/**', 'src/main/export/**', 'src/main/handlers.ts', 'src/main/bootstrap.ts', 'src/main/ipc/dispatch.ts'],
    rules: {
      'no-restricted-imports': forbid(['electron', 'electron/*', '**/renderer/**', '**/preload/**'], 'Services, storage and handlers must not import electron; keep Electron in the thin shell.')
    }
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/services/**', 'src/main/db/**', 'src/main/export/**', 'src/main/handlers.ts', 'src/main/bootstrap.ts', 'src/main/ipc/dispatch.ts'],
    rules: {
      'no-restricted-imports': forbid(['**/renderer/**', '**/preload/**'], 'The main process does not import renderer or preload code.')
    }
  },
  {
    // The sandboxed preload bundles only the dependency-free channel list and API shape.
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': forbid(['**/main/**', '**/renderer/**', 'zod', '**/ipc/contract', 'node:*', ...NODE_BUILTINS], 'The preload bundles only shared/ipc/channels.ts and api-shape.ts.')
    }
  }
)
