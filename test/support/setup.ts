/**
 * Mocha root setup: any unhandled rejection or uncaught exception during the run is a test
 * failure, never a silently ignored event.
 */
process.on('unhandledRejection', (reason) => {
  throw reason instanceof Error ? reason : new Error(String(reason));
});
