// Preloaded (`node -r`) into each compiler process by bench/compile.ts: reports the process's own CPU time.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\n@@cpu ${((u.user + u.system) / 1000).toFixed(0)}\n`);
});
