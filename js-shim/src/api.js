// The public API (moved to messages.js; split up in the next commit).
export * from './messages.js';
