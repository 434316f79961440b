// Svelte 5 strips TypeScript annotations itself; no preprocessor is needed.
export default {
  compilerOptions: { runes: true }
}
