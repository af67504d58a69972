export { tokenize, words } from './tokenizer.js';
export type { Token } from './tokenizer.js';
